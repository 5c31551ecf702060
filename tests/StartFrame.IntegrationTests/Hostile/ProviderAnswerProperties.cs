using ModelStream.Simulator;
using StartFrame.Core.Records;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>
/// A property over provider answers: whatever mix of poll answers, result URLs, status codes, bodies, redirects, stalls
/// and sizes the provider hands back (drawn from a seeded random, so a failure is replayed by its seed), every task
/// ends with exactly one completion record, no claim is left finishing, no poll is left queued, and what is stored under
/// a video's name is the video and within the bound.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ProviderAnswerProperties(AzuriteFixture azurite)
{
    private const int Tasks = 5;
    private const long MaxBytes = 3_000_000;

    private static readonly string?[] ResultUrls =
        [null, null, null, null, "/v/x.mp4", "file:///etc/passwd", "{video}", "http://10.1.2.3/v.mp4", "{video}#frag", "ftp://example.com/v.mp4"];

    private static readonly Func<Random, SimulatedFault>[] VideoAnswers =
    [
        r => new SimulatedFault { On = SimulatedFaultTarget.Video, Status = new[] { 500, 502, 503, 404, 403, 410, 429 }[r.Next(7)] },
        r => new SimulatedFault { On = SimulatedFaultTarget.Video, Serve = (SimulatedVideoContent)r.Next(4) },
        r => new SimulatedFault { On = SimulatedFaultTarget.Video, StallAfterBytes = new long[] { 0, 88, 1000 }[r.Next(3)] },
        r => new SimulatedFault { On = SimulatedFaultTarget.Video, CutAfterBytes = 100 },
        r => new SimulatedFault { On = SimulatedFaultTarget.Video, Reset = true },
        r => new SimulatedFault { On = SimulatedFaultTarget.Video, Length = MaxBytes + 1_000_000, HideLength = r.Next(2) == 0 },
        r => new SimulatedFault { On = SimulatedFaultTarget.Video, Length = MaxBytes - 1_000_000 },
        r => new SimulatedFault
        {
            On = SimulatedFaultTarget.Video,
            RedirectTo = new[] { "file:///etc/passwd", "{video}", "http://169.254.169.254/", "https://127.0.0.1:1/x.mp4", "/elsewhere.mp4", "gopher://x/" }[r.Next(6)],
        },
    ];

    private static readonly Func<Random, SimulatedFault>[] PollAnswers =
    [
        _ => new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 500 },
        _ => new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 429, RetryAfter = 30 },
        _ => new SimulatedFault { On = SimulatedFaultTarget.Poll, Length = 2_000_000 }, // over the client's 1 MiB bound
        _ => new SimulatedFault { On = SimulatedFaultTarget.Poll, Garbage = true },
        _ => new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 400, Code = "task_not_exist" },
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Every_task_ends_in_exactly_one_record_and_only_a_video_is_stored_whatever_the_provider_answers(int seed)
    {
        var random = new Random(seed);
        var clock = TrackingHarness.Clock();
        var settings = new Dictionary<string, string?>
        {
            ["StartFrame:TrackingHorizon"] = "00:30:00",
            ["StartFrame:VideoMaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["StartFrame:VideoReadIdleTimeout"] = "00:00:01",
        };
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, settings: settings);
        var tasks = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Tasks; i++)
        {
            if (ResultUrls[random.Next(ResultUrls.Length)] is { } resultUrl)
            {
                harness.Simulator.AddFaults(new SimulatedFault { ResultUrl = resultUrl });
            }

            tasks[await harness.SubmitPairAsync($"prop{seed}/t{i}")] = $"prop{seed}/t{i}";
        }

        var answers = Enumerable.Range(0, 4 + random.Next(6)).Select(_ => VideoAnswers[random.Next(VideoAnswers.Length)](random) with { Times = 1 + random.Next(3) })
            .Concat(Enumerable.Range(0, random.Next(4)).Select(_ => PollAnswers[random.Next(PollAnswers.Length)](random) with { Times = 1 + random.Next(2) }))
            .ToList();
        if (random.Next(3) == 0)
        {
            answers.Add(VideoAnswers[random.Next(VideoAnswers.Length)](random) with { Times = 0 }); // until the end
        }

        harness.Simulator.AddFaults([.. answers]);

        var outcomes = await harness.Tracking.RunUntilIdleAsync(limit: 1000).WaitAsync(TimeSpan.FromMinutes(3));

        var because = $"seed {seed}, answers: {string.Join("; ", answers.Select(a => System.Text.Json.JsonSerializer.Serialize(a)))}";
        Assert.True(outcomes.Count < 1000, $"tracking did not come to rest ({because})");
        var records = await harness.CompletionRecordsAsync();
        Assert.True(records.Count == Tasks, $"{records.Count} records for {Tasks} tasks ({because})");
        Assert.Equal(tasks.Keys.Order(StringComparer.Ordinal), records.Select(r => r["taskId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Empty(await harness.Tracking.PendingAsync());
        var videos = await harness.VideoBlobsAsync();
        foreach (var record in records)
        {
            Assert.Empty(await RecordSchemas.CompletionRecordErrorsAsync(record.ToJsonString()));
            var taskId = record["taskId"]!.GetValue<string>();
            var entry = (await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient(tasks[taskId] + ".png")))!;
            var status = record["status"]!.GetValue<string>();
            Assert.True(CompletionStatuses.IsTerminal(entry.TrackingState) && entry.TrackingClaimId is null, $"task {taskId} is {entry.TrackingState} ({because})");
            Assert.Equal(status, entry.TrackingState);
            var video = videos.SingleOrDefault(v => v.Name.EndsWith($"/{taskId}.mp4", StringComparison.Ordinal));
            if (status == CompletionStatuses.Succeeded)
            {
                Assert.NotNull(video);
                Assert.InRange(video.Properties.ContentLength ?? 0, ModelStreamSimulator.SampleVideoBytes.Length, MaxBytes);
                var head = (await harness.Videos.GetBlobClient(video.Name).DownloadContentAsync(new Azure.Storage.Blobs.Models.BlobDownloadOptions { Range = new Azure.HttpRange(0, 4096) })).Value.Content.ToArray();
                var sample = ModelStreamSimulator.SampleVideoBytes.ToArray();
                Assert.Equal(sample[..Math.Min(sample.Length, head.Length)], head[..Math.Min(sample.Length, head.Length)]);
            }
            else
            {
                Assert.True(video is null, $"task {taskId} ended {status} but a video is stored ({because})");
            }
        }
    }
}
