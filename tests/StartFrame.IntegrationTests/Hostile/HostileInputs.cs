using System.Text.Json.Nodes;
using Azure.Data.Tables;
using StartFrame.Core.Ledger;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>Helpers the hostile-input tests share: ledger look-ups by name (whatever the key format) and record reads.</summary>
internal static class HostileInputs
{
    /// <summary>Every ledger row whose readable blob name is <paramref name="blob"/>.</summary>
    public static async Task<List<LedgerEntry>> LedgerRowsOfAsync(PipelineHarness harness, string blob)
    {
        var rows = new List<LedgerEntry>();
        await foreach (var entry in harness.Ledger.QueryAsync<LedgerEntry>(e => e.Blob == blob))
        {
            rows.Add(entry);
        }

        return rows;
    }

    /// <summary>Every ledger row.</summary>
    public static async Task<List<TableEntity>> AllLedgerRowsAsync(PipelineHarness harness)
    {
        var rows = new List<TableEntity>();
        await foreach (var entity in harness.Ledger.QueryAsync<TableEntity>())
        {
            rows.Add(entity);
        }

        return rows;
    }

    /// <summary>The one-line errors of a CLI run's standard error (blank lines dropped).</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A sidecar with the given prompt (JSON-escaped by the serializer).</summary>
    public static string SidecarWithPrompt(string prompt) => Json(new JsonObject { ["prompt"] = prompt });

    /// <summary>JSON text as a person would write it: non-ASCII characters as themselves, not <c>\uXXXX</c>.</summary>
    public static string Json(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
