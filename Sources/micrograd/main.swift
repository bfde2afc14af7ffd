#if canImport(Glibc)
import Glibc
#endif
MicrogradCommand.mainExitingTwoOnUsageErrors()
