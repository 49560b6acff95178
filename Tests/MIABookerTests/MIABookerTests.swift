import MIABooker
import Testing
