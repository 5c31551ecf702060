using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>Runs an <see cref="IResult"/>-returning handler on a real <see cref="DefaultHttpContext"/> and reads back what a caller gets.</summary>
public static class HttpCall
{
    public sealed record Response(int Status, string ContentType, IHeaderDictionary Headers, string Body)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }

    public static HttpRequest Post(string body, string? idempotencyKey = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        if (idempotencyKey is not null)
        {
            context.Request.Headers["Idempotency-Key"] = idempotencyKey;
        }

        return context.Request;
    }

    public static async Task<Response> RunAsync(Task<IResult> handler)
    {
        var result = await handler;
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return new Response(context.Response.StatusCode, context.Response.ContentType ?? "", context.Response.Headers, Encoding.UTF8.GetString(body.ToArray()));
    }
}
