import ArgumentParser
import MIAStats
import MIAWorkerRuntime

print("mia-stats: not built yet")
