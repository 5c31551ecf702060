using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using ModelStream.Client;
using StartFrame.Core;

namespace StartFrame.Deployment.Tests;

/// <summary>A setting name the code reads, as an app setting / environment variable (<c>Section__Property</c>).</summary>
/// <param name="Name">The setting name, or a prefix when <paramref name="IsPrefix"/>.</param>
/// <param name="Required">The code cannot run without it: <c>[Required]</c> and no usable default.</param>
/// <param name="IsPrefix">A collection or dictionary: any setting below <c>Name__</c> is the code's.</param>
/// <param name="Options">The options class and property it binds to, or null for a connection setting.</param>
internal sealed record CodeSetting(string Name, bool Required, bool IsPrefix, PropertyInfo? Options)
{
    public bool Matches(string setting) => IsPrefix
        ? setting.StartsWith(Name + "__", StringComparison.OrdinalIgnoreCase)
        : string.Equals(setting, Name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Derives the settings the code reads by reflection, so the checks keep up as options gain properties: every options
/// class (a public type with <c>const string SectionName</c>) in the core and client assemblies, each public bindable
/// property flattened to <c>Section__Property</c>; plus the storage connection the host and the core share.
/// </summary>
internal static class CodeSettings
{
    /// <summary>The storage connection the triggers and the core read (a connection string or identity-based keys).</summary>
    public const string StorageConnection = StartFrameOptions.StorageConnectionName;

    /// <summary>The identity-based form of the storage connection (keys are disabled on the account), as deployed.</summary>
    public static readonly IReadOnlyList<string> IdentityConnectionSettings =
    [
        $"{StorageConnection}__credential",
        $"{StorageConnection}__clientId",
        $"{StorageConnection}__blobServiceUri",
        $"{StorageConnection}__queueServiceUri",
        $"{StorageConnection}__tableServiceUri",
    ];

    /// <summary>Every key of the storage connection the host or the core understands.</summary>
    private static readonly IReadOnlyList<string> ConnectionSettings =
        [StorageConnection, .. IdentityConnectionSettings, $"{StorageConnection}__accountName"];

    /// <summary>
    /// Settings with a usable default in code that a deployment still sets explicitly, so that which service an
    /// Azure deployment talks to is visible in its infra (the default is the public production endpoint).
    /// </summary>
    public static readonly IReadOnlyList<string> SetExplicitlyInAzure = [$"{ModelStreamClientOptions.SectionName}__BaseUrl"];

    /// <summary>Names the Functions platform reads, not the code; anything else in the settings files is a mistake.</summary>
    public static readonly IReadOnlyList<string> PlatformSettings =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    public static IReadOnlyList<(Type Type, string Section)> OptionsClasses { get; } =
        new[] { typeof(StartFrameOptions).Assembly, typeof(ModelStreamClientOptions).Assembly }
            .Distinct()
            .SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false })
            .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.Field is { IsLiteral: true } && t.Field.FieldType == typeof(string))
            .Select(t => (t.Type, Section: (string)t.Field!.GetRawConstantValue()!))
            .OrderBy(t => t.Section, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<CodeSetting> Options { get; } =
        OptionsClasses.SelectMany(o => Flatten(o.Type, o.Section, depth: 0)).ToList();

    public static IReadOnlyList<CodeSetting> Connection { get; } =
        ConnectionSettings.Select(name => new CodeSetting(name, Required: false, IsPrefix: false, Options: null)).ToList();

    public static bool IsKnown(string setting) =>
        Options.Concat(Connection).Any(s => s.Matches(setting)) ||
        PlatformSettings.Contains(setting, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<CodeSetting> Flatten(Type type, string prefix, int depth)
    {
        Assert.True(depth < 5, $"Options nest deeper than 5 levels at {prefix}; is there a cycle?");
        var defaults = type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(type) : null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = $"{prefix}__{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var settable = property.SetMethod is { IsPublic: true };
            if (IsScalar(propertyType))
            {
                if (settable)
                {
                    yield return new CodeSetting(name, IsRequired(property, defaults), IsPrefix: false, property);
                }
            }
            else if (typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                yield return new CodeSetting(name, Required: false, IsPrefix: true, property);
            }
            else if (propertyType.IsClass)
            {
                // The configuration binder fills nested option objects, settable or not.
                foreach (var nested in Flatten(propertyType, name, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) ||
        type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset) ||
        type == typeof(Guid) || type == typeof(Uri);

    private static bool IsRequired(PropertyInfo property, object? defaults)
    {
        if (property.GetCustomAttribute<RequiredAttribute>() is null)
        {
            return false;
        }

        var value = defaults is null ? null : property.GetValue(defaults);
        return value switch
        {
            null => true,
            string text => string.IsNullOrWhiteSpace(text),
            _ => false,
        };
    }
}
