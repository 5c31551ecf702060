namespace StartFrame.Benchmarks;

/// <summary>
/// P1: storage transactions per accepted upload, counted request by request on the core's clients, one upload at a
/// time so every request is attributed to its upload. Startup provisioning happened before and is not counted.
/// </summary>
internal static class TransactionCount
{
    public static async Task<TransactionResult> MeasureAsync(BenchmarkEnvironment environment, TestUploads uploads, BenchmarkPlan plan, Progress progress, CancellationToken cancellationToken)
    {
        var names = await uploads.CreateAsync("p1/core", BenchmarkPlan.LoadImageBytes, plan.TransactionUploads, cancellationToken);
        var naiveNames = await uploads.CreateAsync("p1/naive", BenchmarkPlan.LoadImageBytes, plan.NaiveTransactionUploads, cancellationToken);
        var counter = environment.Counter;
        var perUpload = new List<IReadOnlyList<StorageRequest>>();
        var naivePerUpload = new List<int>();
        counter.TakeRequests();
        counter.Detailed = true;
        try
        {
            foreach (var name in names)
            {
                await environment.ProcessAsync(name, cancellationToken);
                perUpload.Add(counter.TakeRequests());
            }

            foreach (var name in naiveNames)
            {
                await environment.Naive.ProcessAsync(name, cancellationToken);
                naivePerUpload.Add(counter.TakeRequests().Count);
            }
        }
        finally
        {
            counter.Detailed = false;
        }

        await uploads.ResetAsync(cancellationToken);

        // Grouped in the order an upload makes them; a count that is not a whole number would mean uploads differ.
        var breakdown = perUpload
            .SelectMany(requests => requests.Select(request => request.Describe(environment.Azurite)))
            .GroupBy(described => described)
            .Select(group => new OperationCount(group.Key.Operation, group.Key.Shape, group.Count() / (double)perUpload.Count))
            .ToList();
        var totals = perUpload.Select(requests => requests.Count).ToList();
        progress.Line($"P1: {totals.Average():0.##} storage transactions per upload over {totals.Count} uploads (naive: {naivePerUpload.Average():0.##})");
        return new TransactionResult(perUpload.Count, totals.Average(), totals.Min(), totals.Max(), breakdown, naivePerUpload.Average());
    }
}
