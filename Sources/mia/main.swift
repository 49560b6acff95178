import MIACommands

await MIA.runAsync()
