namespace StartFrame.Core.Ledger;

/// <summary>Everything the ledger needs to decide whether a run may take a submission key.</summary>
public sealed record ClaimRequest
{
    /// <summary>This run's claim id.</summary>
    public required string ClaimId { get; init; }

    /// <summary>This run's correlation id.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>The <c>traceparent</c> of this run's way-in span (<see cref="Telemetry.TraceParent.OfWayIn"/>), kept on the
    /// entry it claims; null when nobody traces.</summary>
    public string? Traceparent { get; init; }

    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>Image container, when the image is a blob of ours.</summary>
    public string? Container { get; init; }

    /// <summary>Image blob name, when the image is a blob of ours.</summary>
    public string? Blob { get; init; }

    /// <summary>Image URL without query, when given by URL.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>The caller's idempotency key, as given (kept readable in the entry).</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>ETag of the sidecar used, when there is one.</summary>
    public string? SidecarEtag { get; init; }

    /// <summary>Hash of the request body, for idempotency keys.</summary>
    public string? BodyHash { get; init; }

    /// <summary>The model to submit.</summary>
    public string? Model { get; init; }

    /// <summary>Whether the inputs validated. Validation is deterministic in the inputs, so a crashed claim on
    /// input that does not validate cannot have reached the POST and may be taken over without ambiguity.</summary>
    public bool InputIsValid { get; init; } = true;
}
