using System.Reflection;
using NetArchTest.Rules;

namespace StartFrame.Architecture.Tests;

/// <summary>
/// The projects depend in one direction: the function app, the CLI and LocalDev are adapters over the core, and the
/// ModelStream client knows nothing of StartFrame. The core is host-free: no Functions SDK, no CLI, no LocalDev.
/// </summary>
public sealed class ProjectsGoOneWay
{
    private static readonly Assembly Core = typeof(Core.StartFrameOptions).Assembly;
    private static readonly Assembly Client = typeof(ModelStream.Client.ModelStreamClient).Assembly;
    private static readonly Assembly LocalDev = typeof(LocalDev.RepoLayout).Assembly;
    private static readonly Assembly Functions = typeof(Functions.StartFrameFunctionsApp).Assembly;
    // The CLI's types are internal: its assembly is found by name (it is a project reference, copied beside this one).
    private static readonly Assembly Cli = Assembly.Load("startframe");

    public static TheoryData<string, string[]> Forbidden() => new()
    {
        // The core decides everything and is hosted by anything: it names no host, no adapter, no Functions SDK.
        { "StartFrame.Core", ["StartFrame.Functions", "StartFrame.Cli", "StartFrame.LocalDev", "Microsoft.Azure.Functions.Worker"] },
        { "ModelStream.Client", ["StartFrame.Core", "StartFrame.Functions", "StartFrame.Cli", "StartFrame.LocalDev", "Microsoft.Azure.Functions.Worker"] },
        // LocalDev runs services for the CLI and the tests; it is not an adapter of the function app, nor of the CLI.
        { "StartFrame.LocalDev", ["StartFrame.Functions", "StartFrame.Cli"] },
        // The function app binds and calls the core; it never reaches into the CLI or the local tools.
        { "StartFrame.Functions", ["StartFrame.Cli", "StartFrame.LocalDev"] },
        // The CLI starts the function app as a process (func), never links it.
        { "startframe", ["StartFrame.Functions"] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void A_project_references_no_assembly_it_must_not(string assembly, string[] forbidden)
    {
        var referenced = Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(referenced, name => forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void A_project_uses_no_type_of_a_project_it_must_not(string assembly, string[] forbidden)
    {
        var result = Types.InAssembly(Load(assembly)).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"{assembly} uses {string.Join(" or ", forbidden)} in: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_function_app_uses_the_core()
    {
        // The direction is Functions -> Core: the app is an adapter, so it must reference the core it adapts.
        Assert.Contains(Functions.GetReferencedAssemblies(), a => a.Name == "StartFrame.Core");
    }

    private static Assembly Load(string name) => name switch
    {
        "StartFrame.Core" => Core,
        "ModelStream.Client" => Client,
        "StartFrame.LocalDev" => LocalDev,
        "StartFrame.Functions" => Functions,
        "startframe" => Cli,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a project of this repo"),
    };
}
