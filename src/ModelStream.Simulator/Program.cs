// A stand-in for ModelStream: dotnet run --project src/ModelStream.Simulator -- --urls http://127.0.0.1:5080
await ModelStream.Simulator.SimulatorApp.CreateForCommandLine(args).RunAsync();
