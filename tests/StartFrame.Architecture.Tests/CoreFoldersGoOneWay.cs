using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;
using StartFrame.Core;

namespace StartFrame.Architecture.Tests;

/// <summary>The core's folders depend on each other in one direction only: the order data flows (<see cref="CoreFolders"/>).</summary>
public sealed class CoreFoldersGoOneWay
{
    private static readonly Assembly Core = typeof(StartFrameOptions).Assembly;

    public static TheoryData<string> Folders() => [.. CoreFolders.InDataOrder];

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_uses_no_folder_that_comes_after_it(string folder)
    {
        var later = CoreFolders.InDataOrder.SkipWhile(f => f != folder).Skip(1).Select(CoreFolders.Namespace).ToArray();
        if (later.Length == 0)
        {
            return; // the last folder may use every other
        }

        var result = Types.InAssembly(Core).That().ResideInNamespaceMatching($"^{Regex.Escape(CoreFolders.Namespace(folder))}(\\.|$)")
            .ShouldNot().HaveDependencyOnAny(later).GetResult();

        Assert.True(result.IsSuccessful, $"{folder} uses a later folder (of {string.Join(", ", later)}) in: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Every_folder_of_the_core_is_in_the_data_order()
    {
        var folders = Core.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && ns.StartsWith(CoreFolders.Root + ".", StringComparison.Ordinal))
            .Select(ns => ns![(CoreFolders.Root.Length + 1)..].Split('.')[0])
            .Distinct()
            .Order()
            .ToList();

        // A new folder must be placed in the order, or nothing holds its direction.
        Assert.Equal(CoreFolders.InDataOrder.Order().ToList(), folders);
    }

    [Fact]
    public void Only_the_composition_root_wires_the_parts()
    {
        var result = Types.InAssembly(Core).That().DoNotHaveNameStartingWith("StartFrameServiceCollectionExtensions")
            .ShouldNot().HaveDependencyOn(CoreFolders.CompositionRoot).GetResult();

        Assert.True(result.IsSuccessful, "uses the composition root: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_root_namespace_holds_settings_and_the_composition_root_only()
    {
        // Settings are used by every folder; anything else in the root would be a folder-less part with no direction.
        var rootTypes = Core.GetTypes()
            .Where(t => t.Namespace == CoreFolders.Root && !t.Name.StartsWith('<'))
            .Select(t => t.Name)
            .Order()
            .ToList();

        Assert.Equal(["AmbiguousRetry", "MissingSettingException", "StartFrameOptions", "StartFrameServiceCollectionExtensions"], rootTypes);
    }

    [Fact]
    public void The_settings_use_no_folder()
    {
        var result = Types.InAssembly(Core).That().ResideInNamespaceMatching($"^{Regex.Escape(CoreFolders.Root)}$").And().DoNotHaveNameStartingWith("StartFrameServiceCollectionExtensions")
            .ShouldNot().HaveDependencyOnAny([.. CoreFolders.InDataOrder.Select(CoreFolders.Namespace)])
            .GetResult();

        Assert.True(result.IsSuccessful, "settings use a folder: " + string.Join(", ", result.FailingTypeNames ?? []));
    }
}
