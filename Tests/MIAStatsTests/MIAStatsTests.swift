import MIAStats
import Testing
