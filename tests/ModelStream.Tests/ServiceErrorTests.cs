using ModelStream.Client;

namespace ModelStream.Tests;

public sealed class ServiceErrorTests
{
    [Theory]
    [InlineData("""{"error":{"message":"bad duration","type":"invalid_request_error","param":"duration","code":"invalid_parameter"}}""", "invalid_parameter", "invalid_request_error", "duration", "bad duration")]
    [InlineData("""{"error":{"message":"quota","type":"new_api_error","param":null,"code":null}}""", null, "new_api_error", null, "quota")]
    [InlineData("""{"code":"insufficient_user_quota","message":"user quota is not enough","data":null}""", "insufficient_user_quota", null, null, "user quota is not enough")]
    [InlineData("""{"code":429,"message":"slow down","data":null}""", "429", null, null, "slow down")]
    [InlineData("""{"error":"upstream busy","code":"busy"}""", "busy", null, null, "upstream busy")]
    public void Both_error_shapes_are_parsed(string body, string? code, string? type, string? param, string? message)
    {
        Assert.Equal(new ServiceError(code, type, param, message), ServiceError.Parse(body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("[1,2]")]
    [InlineData("""{"detail":"something else"}""")]
    [InlineData("""{"error":""")]
    public void Bodies_that_are_not_an_error_object_yield_nothing(string? body)
    {
        Assert.Null(ServiceError.Parse(body));
    }
}
