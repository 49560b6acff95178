import ArgumentParser
import MIABooker
import MIAWorkerRuntime

print("mia-booker: not built yet")
