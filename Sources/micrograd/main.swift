#if canImport(Glibc)
import Glibc
#endif

// Run on a thread with a large stack: deeply nested expressions and user functions that
// call each other recurse, and the main thread's 8 MB is not much in a debug build.
var attributes = pthread_attr_t()
pthread_attr_init(&attributes)
pthread_attr_setstacksize(&attributes, 512 << 20)
var thread = pthread_t()
let started = pthread_create(&thread, &attributes, runMicrograd, nil)
if started != 0 { MicrogradCommand.mainExitingTwoOnUsageErrors() }
pthread_join(thread, nil)
