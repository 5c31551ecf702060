namespace StartFrame.Core.Catalog;

/// <summary>A catalog file is missing, not JSON, or describes a model inconsistently. Names the file and the JSON path.</summary>
public sealed class ModelCatalogException : Exception
{
    /// <summary>Creates the exception with a plain message.</summary>
    public ModelCatalogException()
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public ModelCatalogException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a plain message and its cause.</summary>
    public ModelCatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem at <paramref name="jsonPath"/> of <paramref name="source"/>.</summary>
    public ModelCatalogException(string source, string? jsonPath, string problem, Exception? innerException = null)
        : base(Describe(source, jsonPath, problem), innerException)
    {
        CatalogSource = source;
        JsonPath = jsonPath;
    }

    /// <summary>The catalog file (or embedded resource) at fault.</summary>
    public string? CatalogSource { get; }

    /// <summary>Where in the file, as a JSON path such as <c>$.models[0].parameters[4].default</c>; <see langword="null"/> when the file as a whole is at fault.</summary>
    public string? JsonPath { get; }

    private static string Describe(string source, string? jsonPath, string problem)
        => jsonPath is null
            ? $"Model catalog '{source}' is invalid: {problem}"
            : $"Model catalog '{source}' is invalid at {jsonPath}: {problem}";
}
