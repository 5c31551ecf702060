using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Problems;
using StartFrame.Core.Storage;
using StartFrame.Core.Uploads;
using StartFrame.Core.Validation;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary>
/// <c>startframe upload &lt;image|folder&gt; [--sidecar file] [--set key=value…] [--prefix path] [--no-validate] [--json]</c>:
/// checks each image with its sidecar offline, as the pipeline will, then uploads the sidecar and only then the image,
/// so the image's trigger finds its sidecar.
/// </summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "An image (png, jpg, jpeg, webp) or a folder of them (not recursive)." };
        var sidecar = new Option<FileInfo?>("--sidecar")
        {
            Description = "The sidecar to upload with a single image (default: the .json beside it with the same name, if any). "
                + "It is stored as <image name>.json whatever its local name.",
            HelpName = "file",
        };
        var sets = SidecarOverrides.CreateOption("--set duration=8 --set metadata.movement_amplitude=auto");
        var prefix = new Option<string?>("--prefix")
        {
            Description = $"Folder inside {StartFrameOptions.UploadsContainer} to upload into (cats/2025 -> {StartFrameOptions.UploadsContainer}/cats/2025/cat.png).",
            HelpName = "path",
        };
        var noValidate = new Option<bool>("--no-validate") { Description = "Upload even what the validator refuses (the pipeline will then write a failure record)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per image: {\"image\", \"sidecar\", \"status\": \"uploaded|refused|failed\", \"errors\"}." };

        var command = new Command("upload", $"""
            Upload start frames to {StartFrameOptions.UploadsContainer}. Each image is first checked with its sidecar exactly as the
            pipeline will (offline): an invalid pair is refused with every error listed and nothing is uploaded. Then the
            sidecar is uploaded, and only then the image, so the image's trigger finds its sidecar. A folder pairs x.png
            with the x.json beside it and ends with a summary; --set applies to every image. Large files show progress.
            Exit codes: 0 all uploaded, 2 something refused, 1 an upload failed.
            Settings: AzureWebJobsStorage, StartFrame__CatalogPath, StartFrame__StrictModels, StartFrame__DefaultModel.
            Examples:
              startframe upload cats/cat.png --prefix cats
              startframe upload cat.png --set prompt="the cat yawns" --set duration=8
              startframe upload ./frames --prefix batch-7 --json
            """);
        command.Arguments.Add(path);
        command.Options.Add(sidecar);
        command.Options.Add(sets);
        command.Options.Add(prefix);
        command.Options.Add(noValidate);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new UploadRequest(parse.GetValue(path)!, parse.GetValue(sidecar), parse.GetValue(sets), parse.GetValue(prefix), parse.GetValue(noValidate), parse.GetValue(json)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private sealed record UploadRequest(string Path, FileInfo? Sidecar, string[]? Sets, string? Prefix, bool NoValidate, bool Json);

    /// <summary>One image to upload, with the local sidecar paired with it (if any) and where both go.</summary>
    private sealed record UploadJob(FileInfo Image, FileInfo? Sidecar, string ImageBlob)
    {
        public string SidecarBlob => UploadNames.SidecarOf(ImageBlob);
    }

    private static async Task<int> RunAsync(UploadRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!SidecarOverrides.TryParse(request.Sets, out var overrides, out var problem)
            || !TryPlan(request, out var jobs, out problem))
        {
            await error.WriteLineAsync(problem).ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        var environment = CliEnvironment.Read();
        SidecarValidator? validator = null;
        if (!request.NoValidate)
        {
            if (!CliCatalog.TryLoad(environment.Variable, error, out var catalog))
            {
                return ExitCodes.Failure;
            }

            validator = new SidecarValidator(catalog, new SidecarValidationOptions
            {
                DefaultModel = CliCatalog.DefaultModel(environment.Variable),
                StrictModels = CliCatalog.StrictModels(environment.Variable),
            });
        }

        if (!environment.TryGetStorage(error, out var storage))
        {
            return ExitCodes.Failure;
        }

        var container = CliEnvironment.Blobs(storage).GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        var sidecarRequired = !bool.TryParse(environment.Variable("StartFrame__SidecarRequired"), out var required) || required;
        var report = new UploadReport(output, request.Json);
        foreach (var job in jobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await UploadOneAsync(job, overrides, validator, container, error, cancellationToken).ConfigureAwait(false);
            report.Add(result);
            if (result.Status == UploadStatus.Uploaded && result.SidecarBlob is null && sidecarRequired)
            {
                await error.WriteLineAsync($"note: {result.ImageBlob} has no sidecar: the pipeline waits for {StartFrameOptions.UploadsContainer}/{job.SidecarBlob} "
                    + "(upload it, or create one with --set; StartFrame__SidecarRequired=false submits with catalog defaults).").ConfigureAwait(false);
            }
        }

        if (jobs.Count > 1 || Directory.Exists(request.Path))
        {
            report.Summarise(request.Json ? error : output);
        }

        return report.ExitCode;
    }

    /// <summary>Turns the path into jobs; false with a one-line reason when the arguments cannot work.</summary>
    private static bool TryPlan(UploadRequest request, out List<UploadJob> jobs, out string problem)
    {
        jobs = [];
        problem = "";
        // Leading and trailing slashes are forgiven; anything that could leave the folder (or the container) is not.
        var prefix = (request.Prefix ?? "").Trim('/');
        if (prefix.Length > 0 && BlobNames.Problem(prefix) is { } bad)
        {
            problem = $"--prefix '{new string([.. prefix.Select(c => char.IsControl(c) ? '?' : c)])}': {bad}; give a folder inside {StartFrameOptions.UploadsContainer}, like cats/2025.";
            return false;
        }

        string BlobName(FileInfo image) => prefix.Length == 0 ? image.Name : $"{prefix}/{image.Name}";

        if (request.Sidecar is { Exists: false } missing)
        {
            problem = $"--sidecar: '{missing.FullName}' does not exist.";
            return false;
        }

        if (Directory.Exists(request.Path))
        {
            if (request.Sidecar is not null)
            {
                problem = "--sidecar names one sidecar for one image; in a folder, put x.json beside each x.png instead (--set applies to every image).";
                return false;
            }

            var images = new DirectoryInfo(request.Path).EnumerateFiles()
                .Where(f => UploadNames.IsImage(f.Name))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
            if (images.Count == 0)
            {
                problem = $"'{request.Path}' holds no images ({string.Join(", ", UploadNames.ImageExtensions)}); nothing to upload.";
                return false;
            }

            jobs.AddRange(images.Select(image => new UploadJob(image, SidecarBeside(image), BlobName(image))));
            return NamesAreUsable(jobs, out problem);
        }

        var file = new FileInfo(request.Path);
        if (!file.Exists)
        {
            problem = $"'{request.Path}' does not exist: give an image file or a folder of images.";
            return false;
        }

        if (!UploadNames.IsImage(file.Name))
        {
            problem = $"'{file.Name}' is not an image the pipeline picks up (it must end in {string.Join(", ", UploadNames.ImageExtensions)}); "
                + "to check a sidecar alone, use startframe validate.";
            return false;
        }

        jobs.Add(new UploadJob(file, request.Sidecar ?? SidecarBeside(file), BlobName(file)));
        return NamesAreUsable(jobs, out problem);
    }

    /// <summary>Every blob name the jobs would write is one the store accepts and the pipeline can name back.</summary>
    private static bool NamesAreUsable(List<UploadJob> jobs, out string problem)
    {
        foreach (var job in jobs)
        {
            if (BlobNames.Problem(job.ImageBlob) is { } bad)
            {
                problem = $"'{job.Image.Name}' cannot be uploaded as {StartFrameOptions.UploadsContainer}/<prefix>/<file name>: {bad}.";
                return false;
            }
        }

        problem = "";
        return true;
    }

    private static FileInfo? SidecarBeside(FileInfo image)
    {
        var sidecar = new FileInfo(Path.ChangeExtension(image.FullName, ".json"));
        return sidecar.Exists ? sidecar : null;
    }

    private static async Task<UploadResult> UploadOneAsync(
        UploadJob job,
        SidecarOverrides overrides,
        SidecarValidator? validator,
        BlobContainerClient container,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var imageAddress = $"{container.Name}/{job.ImageBlob}";
        byte[]? sidecar;
        ImageToCheck image;
        byte[] imageMd5;
        try
        {
            // Bounded: one byte past the limit tells the validator "too large" (and what is over it never uploads whole).
            sidecar = job.Sidecar is null ? null : LocalFiles.ReadAtMost(job.Sidecar.FullName, SidecarValidator.MaxSidecarBytes + 1);
            (image, imageMd5) = await UploadContent.ReadImageAsync(job.Image, job.ImageBlob, ContentType(job.ImageBlob), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return UploadResult.Failed(job.Image.FullName, imageAddress, null, $"could not read it: {ex.Message}");
        }

        if (!overrides.IsEmpty)
        {
            // The fields on the command line win over the file's; no file means a sidecar made of them alone.
            if (!TryOverride(sidecar, overrides, validator, out sidecar, out var refusal))
            {
                return UploadResult.Refused(job.Image.FullName, imageAddress, null, refusal);
            }
        }

        var sidecarAddress = sidecar is null ? null : $"{container.Name}/{job.SidecarBlob}";
        if (validator is not null)
        {
            // No sidecar: the pipeline submits with the catalog's defaults (when it does not wait), so check those.
            var result = validator.Validate(sidecar ?? "{}"u8.ToArray(), image);
            if (!result.IsValid)
            {
                return UploadResult.Refused(job.Image.FullName, imageAddress, sidecarAddress, result.Errors);
            }
        }

        if (sidecar is { Length: > SidecarValidator.MaxSidecarBytes })
        {
            // Only --no-validate gets here; the whole file is never read into memory, and the pipeline refuses it anyway.
            return UploadResult.Refused(job.Image.FullName, imageAddress, sidecarAddress,
                [new ValidationError(ValidationError.Document, ValidationCodes.TooLarge, "the sidecar is larger than the 64 KiB limit (65,536 bytes); the pipeline cannot read it")]);
        }

        var sidecarUploaded = false;
        try
        {
            // Content identity: what is already there, byte for byte, is not uploaded again (and not submitted again).
            var sidecarMd5 = sidecar is null ? null : UploadContent.Md5(sidecar);
            var sidecarStored = sidecarMd5 is not null && await UploadContent.IsStoredAsync(container, job.SidecarBlob, sidecarMd5, cancellationToken).ConfigureAwait(false);
            var imageStored = await UploadContent.IsStoredAsync(container, job.ImageBlob, imageMd5, cancellationToken).ConfigureAwait(false);
            if (imageStored && (sidecar is null || sidecarStored))
            {
                return new UploadResult(job.Image.FullName, imageAddress, sidecarAddress, UploadStatus.Skipped, [], null);
            }

            if (sidecar is not null && !sidecarStored)
            {
                await UploadAsync(container, job.SidecarBlob, new BinaryData(sidecar).ToStream(), "application/json", sidecarMd5!, null, cancellationToken).ConfigureAwait(false);
                sidecarUploaded = true;
            }

            if (imageStored)
            {
                // The sidecar's arrival processes the image again: a changed sidecar is a new take.
                return new UploadResult(job.Image.FullName, imageAddress, sidecarAddress, UploadStatus.Uploaded, [], "only the sidecar changed; the identical image was not uploaded again");
            }

            await using var stream = LocalFiles.OpenRegular(job.Image.FullName);
            using var bar = ProgressBar.ForBytes(error, job.Image.Name, stream.Length);
            await UploadAsync(container, job.ImageBlob, stream, ContentType(job.Image.Name), imageMd5, bar?.Bytes(stream.Length), cancellationToken).ConfigureAwait(false);
            if (sidecar is not null && sidecarStored)
            {
                return new UploadResult(job.Image.FullName, imageAddress, sidecarAddress, UploadStatus.Uploaded, [], "the identical sidecar was already there");
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            var detail = Describe(ex) + (sidecarUploaded ? $" (the sidecar {sidecarAddress} was uploaded, the image was not: run the same command again)" : "");
            return UploadResult.Failed(job.Image.FullName, imageAddress, sidecarAddress, detail);
        }

        return new UploadResult(job.Image.FullName, imageAddress, sidecarAddress, UploadStatus.Uploaded, [], null);
    }

    private static bool TryOverride(byte[]? original, SidecarOverrides overrides, SidecarValidator? validator, out byte[]? sidecar, out IReadOnlyList<ValidationError> refusal)
    {
        sidecar = original;
        JsonObject document;
        try
        {
            var text = original is null ? "{}" : Encoding.UTF8.GetString(original).TrimStart('\uFEFF');
            document = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the sidecar is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // The validator words it best; without one (--no-validate) say it plainly. Either way --set cannot apply.
            var errors = original is null ? null : validator?.Validate(original).Errors;
            refusal = errors is { Count: > 0 }
                ? errors
                : [new ValidationError(ValidationError.Document, ValidationCodes.InvalidJson, "cannot apply --set: " + (ex is JsonException { LineNumber: not null } json ? JsonProblems.Describe("the sidecar", json) : ex.Message))];
            return false;
        }

        if (!overrides.TryApply(document, out var problem))
        {
            refusal = [new ValidationError(ValidationError.Document, ValidationCodes.WrongType, problem)];
            return false;
        }

        sidecar = Encoding.UTF8.GetBytes(JsonText.Indented(document));
        refusal = [];
        return true;
    }

    private static async Task UploadAsync(BlobContainerClient container, string name, Stream content, string contentType, byte[] md5, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        // The Content-MD5 is stored with the blob however it is uploaded (one request or blocks): the pipeline keys by it.
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType, ContentHash = md5 }, ProgressHandler = progress };
        if (!BlobNames.TryGetBlob(container, name, out var blob, out var problem))
        {
            throw new IOException($"refusing to upload to '{name}': {problem}");
        }

        try
        {
            await blob.UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // A fresh account (or Azurite) before the function app ever started: create it, as the app would.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            content.Position = 0;
            await blob.UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string ContentType(string name) => UploadNames.Extension(name) switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };

    private static string Describe(Exception ex) => ex switch
    {
        RequestFailedException { Status: 403 or 401 } storage => $"storage refused the upload ({storage.Status} {storage.ErrorCode}): check {StartFrameOptions.StorageConnectionName} and that the identity may write blobs.",
        RequestFailedException storage => $"storage answered {storage.Status} {storage.ErrorCode}: {CliFailure.FirstLine(storage.Message)}",
        AggregateException or HttpRequestException => $"storage is not reachable ({CliFailure.FirstLine(ex.InnerException?.Message ?? ex.Message)}): check {StartFrameOptions.StorageConnectionName}; run the same command again.",
        _ => CliFailure.FirstLine(ex.Message),
    };
}
