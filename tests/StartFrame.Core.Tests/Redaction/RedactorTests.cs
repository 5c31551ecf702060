using StartFrame.Core.Redaction;



namespace StartFrame.Core.Tests.Redaction;

/// <summary>The one redactor every writer calls: what it removes, what it keeps, and that it can be applied twice.</summary>
public sealed class RedactorTests
{
    private const string Key = "sk-live-7f3e9a2b1c";
    private readonly Redactor _redactor = new([Key, "", null, "short"]);

    [Theory]
    [InlineData("cannot fetch https://acct.blob.core.windows.net/start-frames/x.png?sv=2024-05-04&se=2030&sr=b&sp=r&sig=AbC%3D done",
        "cannot fetch https://acct.blob.core.windows.net/start-frames/x.png?[redacted] done")]
    [InlineData("see https://frames:s3cr3t@images.example.com/cat.png", "see https://[redacted]@images.example.com/cat.png")]
    [InlineData("\"url\":\"https://u:p@h.example/a?token=T#frag\"", "\"url\":\"https://[redacted]@h.example/a?[redacted]\"")]
    [InlineData("bad key " + Key + " given", "bad key [redacted] given")]
    [InlineData("query was ?sv=1&sig=XYZ&se=2", "query was ?sv=1&sig=[redacted]&se=2")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc+/=;", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[redacted];")]
    [InlineData("AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
        "AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;")]
    [InlineData("AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==x;", "AccountKey=[redacted];")]
    [InlineData("Authorization: Bearer abc.def-gh1", "Authorization: Bearer [redacted]")]
    [InlineData("Authorization: Bearer qwertyuiopasdfghjklzxcvbnm", "Authorization: Bearer [redacted]")]
    [InlineData("Bearer authentication. Done.", "Bearer authentication. Done.")]
    [InlineData("ModelStream__ApiKey is not set: it must hold the ModelStream Bearer key (sk-…)", "ModelStream__ApiKey is not set: it must hold the ModelStream Bearer key (sk-…)")]
    [InlineData("Bearer authentication failed", "Bearer authentication failed")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "Bearer [redacted]")]
    [InlineData("no secrets: duration 5, https://images.example.com/cat.png", "no secrets: duration 5, https://images.example.com/cat.png")]
    [InlineData("猫が伸びをする https://例え.jp/猫.png?sig=1", "猫が伸びをする https://例え.jp/猫.png?[redacted]")]
    public void Text_removes_secrets_and_keeps_the_rest(string text, string expected)
    {
        Assert.Equal(expected, _redactor.Text(text));
        Assert.Equal(expected, _redactor.Text(_redactor.Text(text))); // redacting twice changes nothing more
    }

    [Theory]
    [InlineData("https://frames:pw@images.example.com/a/cat.png?sig=1#x", "https://images.example.com/a/cat.png")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/start-frames/a.png?snapshot=2025&sig=2", "http://127.0.0.1:10000/devstoreaccount1/start-frames/a.png")]
    public void Url_keeps_scheme_host_and_path_only(string url, string expected) =>
        Assert.Equal(expected, Redactor.Url(new Uri(url)));

    [Fact]
    public void Short_or_empty_secrets_are_not_replaced_wherever_they_appear() =>
        Assert.Equal("a short story", _redactor.Text("a short story"));
}
