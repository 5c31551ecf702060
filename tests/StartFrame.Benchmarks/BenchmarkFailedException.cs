namespace StartFrame.Benchmarks;

/// <summary>The run cannot produce a figure (an upload was not accepted, a phase overran its time): stop, say why.</summary>
internal sealed class BenchmarkFailedException(string message, Exception? innerException = null) : Exception(message, innerException);
