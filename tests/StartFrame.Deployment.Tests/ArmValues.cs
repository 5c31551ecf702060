using System.Text.Json;
using System.Text.RegularExpressions;

namespace StartFrame.Deployment.Tests;

/// <summary>
/// Reading the values of evaluated ARM resources (<see cref="CompiledInfra.Resources"/>): plain values are JSON, values
/// only Azure knows at deployment are expressions such as <c>[reference('/subscriptions/…/userAssignedIdentities/id-x', '2023-01-31').principalId]</c>.
/// </summary>
internal static partial class ArmValues
{
    private const string RoleAssignmentsSegment = "/providers/Microsoft.Authorization/roleAssignments/";

    /// <summary>The string at <paramref name="path"/> (dot-separated property names), failing with the path when absent.</summary>
    public static JsonElement At(JsonElement resource, string path)
    {
        var current = resource;
        foreach (var name in path.Split('.'))
        {
            Assert.True(current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out current),
                $"{resource.GetProperty("type")} '{resource.GetProperty("name")}' has no {path}.");
        }

        return current;
    }

    public static string Id(JsonElement resource) => resource.GetProperty("id").GetString()!;

    /// <summary>
    /// Whose value an expression reads: <c>[reference('&lt;id&gt;', …).principalId]</c> → "&lt;id&gt;.principalId",
    /// <c>[reference('&lt;id&gt;', …, 'full').identity.principalId]</c> → "&lt;id&gt;.identity.principalId"; a literal as it is.
    /// </summary>
    public static string ReferenceOf(string value)
    {
        var match = WholeReference().Match(value);
        return match.Success ? $"{match.Groups["id"].Value}.{match.Groups["path"].Value}" : value;
    }

    /// <summary>The resource a role assignment is scoped to, from its id (resolved, or still an expression when its name is).</summary>
    public static string ScopeOf(JsonElement roleAssignment)
    {
        var id = Id(roleAssignment);
        var extension = ExtensionResourceScope().Match(id);
        if (extension.Success)
        {
            return extension.Groups["scope"].Value;
        }

        var at = id.IndexOf(RoleAssignmentsSegment, StringComparison.OrdinalIgnoreCase);
        Assert.True(at > 0, $"Cannot read the scope of role assignment {id}.");
        return id[..at];
    }

    /// <summary>The GUID at the end of a role definition id.</summary>
    public static string RoleOf(JsonElement roleAssignment)
    {
        var definition = At(roleAssignment, "properties.roleDefinitionId").GetString()!;
        var match = RoleDefinition().Match(definition);
        Assert.True(match.Success, $"Role definition '{definition}' is not /subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>.");
        return match.Groups["guid"].Value;
    }

    [GeneratedRegex(@"^\[reference\('(?<id>[^']+)'(?:, '[^']*')*\)\.(?<path>[A-Za-z0-9_.]+)\]$")]
    private static partial Regex WholeReference();

    [GeneratedRegex(@"^\[extensionResourceId\('(?<scope>[^']+)', 'Microsoft\.Authorization/roleAssignments'")]
    private static partial Regex ExtensionResourceScope();

    [GeneratedRegex(@"^/subscriptions/[^/]+/providers/Microsoft\.Authorization/roleDefinitions/(?<guid>[0-9a-f-]{36})$")]
    private static partial Regex RoleDefinition();
}
