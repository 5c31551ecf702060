using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;
using StartFrame.LocalDev.InProcess;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>
/// src/StartFrame.Functions/StartFrame.Functions.http, the requests a person runs from an editor, sent as written (its
/// @host pointed at the in-process host) in order: each answers what its comment says.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class HttpFileTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_request_of_the_http_file_answers_as_its_comment_says()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("mine/planet.png", await File.ReadAllBytesAsync(Path.Combine(RepoLayout.Find().SamplesFolder, "planet.png")));
        await using var host = await InProcessFunctionHost.StartAsync(
            new InProcessHostOptions { Settings = harness.Settings, Host = HostJson.Read(RepoLayout.Find().HostJson) }, CancellationToken.None);
        var requests = Parse(await File.ReadAllTextAsync(Path.Combine(RepoLayout.Find().FunctionsProject, "StartFrame.Functions.http")));
        var variables = new Dictionary<string, string> { ["host"] = host.ApiBaseAddress.ToString().TrimEnd('/'), ["code"] = "" };
        using var http = new HttpClient();
        var statuses = new List<HttpStatusCode>();

        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), Substitute(request.Url, variables));
            if (request.Body.Length > 0)
            {
                message.Content = new StringContent(request.Body, Encoding.UTF8, request.Headers.GetValueOrDefault("Content-Type", "application/json"));
            }

            foreach (var (name, value) in request.Headers.Where(h => h.Key != "Content-Type"))
            {
                message.Headers.Add(name, value);
            }

            using var response = await http.SendAsync(message);
            statuses.Add(response.StatusCode);
            if (request.Name is { } name2 && response.Headers.Location is { } location)
            {
                variables[$"{name2}.response.headers.Location"] = location.OriginalString;
            }
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.NotFound], statuses);
    }

    private sealed record HttpFileRequest(string? Name, string Method, string Url, Dictionary<string, string> Headers, string Body);

    // The .http format as the editors read it: "###" separates requests, "#"/"//" lines are comments ("# @name x" names
    // one), the first other line is "METHOD URL", headers follow up to a blank line, then the body.
    private static List<HttpFileRequest> Parse(string text)
    {
        var requests = new List<HttpFileRequest>();
        foreach (var block in text.Split("###").Skip(1))
        {
            var lines = block.Split('\n').Skip(1).Select(l => l.TrimEnd('\r')).ToList(); // the rest of the ### line is its title
            var name = lines.Select(l => NamePattern().Match(l)).FirstOrDefault(m => m.Success)?.Groups["name"].Value;
            var content = lines.Where(l => !l.StartsWith('#') && !l.StartsWith("//", StringComparison.Ordinal)).SkipWhile(string.IsNullOrWhiteSpace).ToList();
            var requestLine = content[0].Split(' ', 2);
            var headers = content.Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Split(':', 2)).ToDictionary(h => h[0].Trim(), h => h[1].Trim());
            var body = string.Join('\n', content.Skip(1).SkipWhile(l => l.Length > 0)).Trim();
            requests.Add(new HttpFileRequest(name, requestLine[0], requestLine[1].Trim(), headers, body));
        }

        return requests;
    }

    private static string Substitute(string text, Dictionary<string, string> variables) =>
        VariablePattern().Replace(text, m => variables.TryGetValue(m.Groups["name"].Value, out var value)
            ? value
            : throw new InvalidOperationException($"{{{{{m.Groups["name"].Value}}}}} has no value"));

    [GeneratedRegex(@"^#\s*@name\s+(?<name>\S+)")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\{\{(?<name>[^}]+)\}\}")]
    private static partial Regex VariablePattern();
}
