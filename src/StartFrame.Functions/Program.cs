using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StartFrame.Core;
using StartFrame.Functions;

try
{
    // Everything is set up in StartFrameFunctionsApp.Configure, which the start-up tests call too.
    StartFrameFunctionsApp.Configure(FunctionsApplication.CreateBuilder(args)).Build().Run();
    return 0;
}
catch (Exception ex) when (ex is MissingSettingException or OptionsValidationException)
{
    // A setting the operator must fix: one line naming it (the host logs the worker's stderr), not a stack trace.
    Console.Error.WriteLine($"StartFrame cannot start: {ex.Message}");
    return 1;
}
