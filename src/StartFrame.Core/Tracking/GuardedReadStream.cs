namespace StartFrame.Core.Tracking;

/// <summary>
/// A forward-only view of a result video's body that counts the bytes read and stops a body that misbehaves: more than
/// <c>maxBytes</c> in all, or no byte for <c>idleTimeout</c> on one read (a body that sends 88 bytes and then nothing
/// would otherwise hold the copy until the host's own timeout). It stops by throwing <see cref="VideoReadStoppedException"/>,
/// so the upload reading it fails before it commits anything.
/// </summary>
internal sealed class GuardedReadStream(Stream inner, long maxBytes, TimeSpan idleTimeout, string maxBytesSetting, string idleSetting) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override int Read(Span<byte> buffer)
    {
        var rented = new byte[buffer.Length];
        var read = Read(rented, 0, rented.Length);
        rented.AsSpan(0, read).CopyTo(buffer);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // One byte more than allowed is enough to know the body is too large; never ask for more than that.
        var room = maxBytes + 1 - BytesRead;
        if (room <= 0)
        {
            throw TooLarge();
        }

        if (buffer.Length > room)
        {
            buffer = buffer[..(int)room];
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new VideoReadStoppedException(
                $"the body stalled: no byte for {idleTimeout.TotalSeconds:0.#} s after {BytesRead:N0} bytes ({idleSetting})", permanent: false);
        }

        BytesRead += read;
        return BytesRead > maxBytes ? throw TooLarge() : read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private VideoReadStoppedException TooLarge() =>
        new($"the video is larger than the {maxBytes:N0} bytes allowed ({maxBytesSetting}); reading stopped there", permanent: true);
}

/// <summary>A result video's body was stopped: too large (permanent) or stalled (worth another try).</summary>
public sealed class VideoReadStoppedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public VideoReadStoppedException()
    {
    }

    /// <summary>Creates the exception with why reading stopped.</summary>
    public VideoReadStoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with why, and what caused it.</summary>
    public VideoReadStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with why reading stopped and whether another try could help.</summary>
    public VideoReadStoppedException(string message, bool permanent)
        : base(message) => Permanent = permanent;

    /// <summary>True when another try cannot help (the video is too large).</summary>
    public bool Permanent { get; }
}
