using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ModelStream.Client;

/// <summary>Typed client of the ModelStream video API.</summary>
/// <remarks>
/// Register it with <see cref="Microsoft.Extensions.DependencyInjection.ModelStreamServiceCollectionExtensions.AddModelStreamClient"/>,
/// which adds the retry and timeout pipeline. Every failure surfaces as a <see cref="ModelStreamException"/> whose
/// <see cref="ModelStreamException.Kind"/> says whether re-sending is safe; caller cancellation surfaces as
/// <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class ModelStreamClient
{
    /// <summary>The header that carries the caller's correlation id to ModelStream.</summary>
    public const string CorrelationIdHeader = "X-Correlation-Id";

    private const string GenerationsPath = "v1/video/generations";
    private const int ReadChunk = 16 * 1024;
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
    private static readonly string[] ReservedFields = ["model", "images", "metadata"];

    private readonly HttpClient _httpClient;
    private readonly ModelStreamClientOptions _options;
    private readonly Uri _generationsUri;
    private readonly ModelStreamErrors _errors;

    /// <summary>Creates the client; normally the HTTP client factory does this.</summary>
    /// <param name="httpClient">The HTTP client, carrying the resilience pipeline when registered through DI.</param>
    /// <param name="options">Where and with which key to call.</param>
    public ModelStreamClient(HttpClient httpClient, IOptions<ModelStreamClientOptions> options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _httpClient = httpClient;
        _options = options.Value;
        var root = _options.BaseUrl.AbsoluteUri.EndsWith('/') ? _options.BaseUrl : new Uri(_options.BaseUrl.AbsoluteUri + "/");
        _generationsUri = new Uri(root, GenerationsPath);
        _errors = new ModelStreamErrors(_options.ApiKey);
        TooLargeProblem = string.Create(CultureInfo.InvariantCulture,
            $"its body is larger than the {_options.MaxResponseBytes:N0} bytes allowed ({ModelStreamClientOptions.SectionName}:{nameof(ModelStreamClientOptions.MaxResponseBytes)})");
    }

    private string TooLargeProblem { get; }

    /// <summary>Submits a generation (<c>POST /v1/video/generations</c>).</summary>
    /// <param name="request">The body in its wire shape.</param>
    /// <param name="correlationId">Sent as <c>X-Correlation-Id</c> so both sides' logs can be joined; omitted when null or empty.</param>
    /// <param name="cancellationToken">Cancels the call; surfaces as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The task id (always one plain URL path segment, see <see cref="TaskIdRule"/>) and status ModelStream answered.</returns>
    /// <exception cref="ModelStreamException">The call failed; <see cref="ModelStreamException.Kind"/> says whether re-sending is safe.</exception>
    /// <exception cref="ArgumentException">The request cannot be sent as given (a reserved field repeated, a correlation id that is not printable ASCII); nothing was sent.</exception>
    public Task<VideoGenerationResult> SubmitAsync(VideoGenerationRequest request, string? correlationId = null, CancellationToken cancellationToken = default) =>
        SubmitAsync(request, correlationId, retryThrottled: true, cancellationToken);

    /// <summary>Submits a generation (<c>POST /v1/video/generations</c>), saying whether a 429 is retried in-process.</summary>
    /// <param name="request">The body in its wire shape.</param>
    /// <param name="correlationId">Sent as <c>X-Correlation-Id</c>; omitted when null or empty.</param>
    /// <param name="retryThrottled">False for a caller that waits out a 429 itself (it gets the 429, with its
    /// <see cref="ModelStreamException.RetryAfter"/>, at once); 503 and failed connects are still retried.</param>
    /// <param name="cancellationToken">Cancels the call; surfaces as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The task id and status ModelStream answered.</returns>
    /// <exception cref="ModelStreamException">The call failed; <see cref="ModelStreamException.Kind"/> says whether re-sending is safe.</exception>
    /// <exception cref="ArgumentException">The request cannot be sent as given; nothing was sent.</exception>
    public async Task<VideoGenerationResult> SubmitAsync(VideoGenerationRequest request, string? correlationId, bool retryThrottled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfReservedFieldsRepeated(request);
        if (correlationId is not null && correlationId.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            // HttpClient would refuse it only while writing the headers, a failure indistinguishable from one after
            // sending; refused here, nothing has left and the caller knows nothing can have been charged.
            throw new ArgumentException("The correlation id must be printable ASCII (it travels as an HTTP header); the request was not sent.", nameof(correlationId));
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, _generationsUri) { Content = JsonBody(request) };
        message.Options.Set(FailurePolicy.RetryThrottled, retryThrottled);
        if (!string.IsNullOrEmpty(correlationId))
        {
            message.Headers.TryAddWithoutValidation(CorrelationIdHeader, correlationId);
        }

        var (status, body) = await ExchangeAsync(message, ModelStreamOperation.Submit, taskId: null, cancellationToken).ConfigureAwait(false);
        return ReadSubmitResult(body, out var problem) ?? throw ModelStreamErrors.UnreadableSuccess(status, problem, ModelStreamOperation.Submit);
    }

    /// <summary>Reads where a task stands (<c>GET /v1/video/generations/{taskId}</c>), in either poll shape.</summary>
    /// <param name="taskId">The id <see cref="SubmitAsync(VideoGenerationRequest, string?, CancellationToken)"/> returned.</param>
    /// <param name="cancellationToken">Cancels the call; surfaces as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The normalized status.</returns>
    /// <exception cref="ArgumentException">The id is not one plain URL path segment (<see cref="TaskIdRule"/>); nothing was sent.</exception>
    /// <exception cref="ModelStreamException">
    /// The poll failed: <see cref="ModelStreamFailureKind.Permanent"/> for an unknown task (<c>task_not_exist</c>) or a refused key,
    /// otherwise <see cref="ModelStreamFailureKind.Transient"/> (a poll never charges, so nothing about it is ambiguous).
    /// </exception>
    public async Task<VideoTaskStatus> GetTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        if (TaskIdRule.Problem(taskId) is { } idProblem)
        {
            // Escaping alone does not save such an id: ".." survives it and would poll another URL. Nothing is sent.
            throw new ArgumentException($"The task id cannot be polled: {idProblem} (a task id is one plain URL path segment); nothing was sent.", nameof(taskId));
        }

        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_generationsUri.AbsoluteUri + "/" + Uri.EscapeDataString(taskId)));
        var (status, body) = await ExchangeAsync(message, ModelStreamOperation.Poll, taskId, cancellationToken).ConfigureAwait(false);
        return VideoTaskStatusReader.TryRead(body, taskId, out var problem)
            ?? throw ModelStreamErrors.UnreadableSuccess(status, problem, ModelStreamOperation.Poll);
    }

    /// <summary>Sends, and returns the body of a 2xx answer; every other outcome becomes a <see cref="ModelStreamException"/>.</summary>
    private async Task<(int Status, string Body)> ExchangeAsync(HttpRequestMessage message, ModelStreamOperation operation, string? taskId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.ApiKey))
        {
            throw new InvalidOperationException($"{ModelStreamClientOptions.SectionName}:{nameof(ModelStreamClientOptions.ApiKey)} is not configured.");
        }

        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        using var response = await SendAsync(message, operation, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var (body, tooLarge, readFailure) = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The status decides; a body cut short or too large only costs us the error details.
            var retryAfter = FailurePolicy.RetryAfterOf(response.Headers.RetryAfter, TimeProvider.System);
            throw _errors.FromResponse(status, retryAfter, body, operation, taskId);
        }

        if (tooLarge)
        {
            throw ModelStreamErrors.UnreadableSuccess(status, TooLargeProblem, operation);
        }

        if (body is null)
        {
            throw ModelStreamErrors.UnreadableSuccess(status, "its body could not be read", operation, readFailure);
        }

        return (status, body);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, ModelStreamOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            // Headers only: the body is read separately so that a broken body on an error answer
            // does not hide the status, which is what decides whether a re-send is safe.
            return await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException exception)
        {
            throw ModelStreamErrors.FromTimeout(exception.Timeout, operation, exception);
        }
        catch (OperationCanceledException exception)
        {
            // Not the caller's token: HttpClient.Timeout, when the client is used without the pipeline.
            throw ModelStreamErrors.FromTimeout(_httpClient.Timeout, operation, exception);
        }
        catch (HttpRequestException exception)
        {
            throw _errors.FromTransport(exception, _generationsUri, operation);
        }
    }

    /// <summary>
    /// Reads the body as a stream, at most <see cref="ModelStreamClientOptions.MaxResponseBytes"/> bytes of it. A body
    /// that does not fit comes back as null with <c>TooLarge</c> set; the response is then disposed unread, which drops
    /// the connection instead of draining the rest.
    /// </summary>
    private async Task<(string? Body, bool TooLarge, Exception? Failure)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = _options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            return (null, true, null);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_options.AttemptTimeout);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, ReadChunk));
        try
        {
            using var body = new MemoryStream();
            await using var stream = await response.Content.ReadAsStreamAsync(bounded.Token).ConfigureAwait(false);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit + 1 - body.Length)), bounded.Token).ConfigureAwait(false)) > 0)
            {
                body.Write(buffer, 0, read);
                if (body.Length > limit)
                {
                    return (null, true, null);
                }
            }

            var text = body.GetBuffer().AsSpan(0, (int)body.Length);
            return (Encoding.UTF8.GetString(text.StartsWith(Utf8Bom) ? text[Utf8Bom.Length..] : text), false, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException or InvalidOperationException)
        {
            return (null, false, exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static VideoGenerationResult? ReadSubmitResult(string body, out string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if ((Json.ReadText(root, "task_id") ?? Json.ReadText(root, "id")) is { } taskId)
            {
                // An accepted task whose id cannot be polled is as good as an answer we could not read: the task may
                // exist and be charged, but we cannot follow it, so the caller must look for it before re-sending.
                if (TaskIdRule.Problem(taskId) is { } idProblem)
                {
                    problem = $"its task id is unusable ({idProblem})";
                    return null;
                }

                problem = "";
                return new VideoGenerationResult(taskId, Json.ReadText(root, "status") ?? VideoTaskStatus.Unknown);
            }

            problem = "its body has no task id";
            return null;
        }
        catch (JsonException)
        {
            problem = "its body is not JSON";
            return null;
        }
    }

    private static ByteArrayContent JsonBody(VideoGenerationRequest request)
    {
        // Bytes rather than a streaming JsonContent: a Content-Length instead of chunking, and a body
        // the retry pipeline can send again unchanged.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(VideoGenerationWireBody.From(request), ModelStreamJsonContext.Default.VideoGenerationWireBody));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static void ThrowIfReservedFieldsRepeated(VideoGenerationRequest request)
    {
        if (request.Fields is null)
        {
            return;
        }

        foreach (var name in ReservedFields)
        {
            if (request.Fields.ContainsKey(name))
            {
                throw new ArgumentException($"Fields must not contain '{name}': it has its own property, and a repeated key would reach the wire twice.", nameof(request));
            }
        }
    }
}
