// A stand-in for ModelStream: dotnet run --project src/ModelStream.Simulator -- --urls http://127.0.0.1:5080 [--generation-time 30s]
try
{
    await ModelStream.Simulator.SimulatorApp.CreateForCommandLine(args).RunAsync();
    return 0;
}
catch (ArgumentException ex)
{
    // An option the person typed: one line naming it and what it accepts.
    Console.Error.WriteLine($"simulator: {ex.Message}");
    return 2;
}
