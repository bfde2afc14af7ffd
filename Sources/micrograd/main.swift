import MicrogradCLI

MicrogradCommand.main()
