using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace SessionAppliance.Cli.Update;

/// <summary>
/// Fetches a bundle into the data partition, resuming a partial file with an HTTP range request after any
/// interruption (in this run, or the next), at no more than a given rate, reporting progress, and checking size
/// and SHA-256 before the file is named finished. Nothing is held in memory beyond one 64 KiB buffer.
/// </summary>
internal sealed class BundleDownloader(HttpClient http, TimeProvider time)
{
    private const int Attempts = 3;

    public async Task<string> DownloadAsync(Uri url, long? size, string? sha256, string directory, long? bytesPerSecond, Action<long, long?> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = sha256 ?? Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..16];
        var finished = Path.Combine(directory, name + ".raucb");
        var partial = Path.Combine(directory, name + ".part");
        if (File.Exists(finished))
        {
            return finished;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await FetchAsync(url, size, partial, bytesPerSecond, progress, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception error) when (attempt < Attempts && error is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(5 * attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }

        var length = new FileInfo(partial).Length;
        if (size is { } expected && length != expected)
        {
            throw new IOException($"the download stopped at {length} of {expected} bytes; the next run resumes it");
        }

        if (sha256 is not null)
        {
            await using var file = File.OpenRead(partial);
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
            if (actual != sha256)
            {
                file.Close();
                File.Delete(partial);
                throw new UpdateRefusedException($"the downloaded bundle's SHA-256 is {actual}, not the manifest's {sha256}; it was deleted");
            }
        }

        File.Move(partial, finished, overwrite: true);
        return finished;
    }

    private async Task FetchAsync(Uri url, long? size, string partial, long? bytesPerSecond, Action<long, long?> progress, CancellationToken cancellationToken)
    {
        var offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (size is { } total && offset >= total)
        {
            if (offset == total)
            {
                return;
            }

            offset = 0;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partial);
            throw new IOException("the server has no more bytes than the partial download; starting again");
        }

        response.EnsureSuccessStatusCode();
        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            offset = 0; // the server sends the whole file: start again rather than append it
        }

        var length = size ?? (response.Content.Headers.ContentLength is { } rest ? offset + rest : null);
        if (length > UpdateManifest.MaxBundleBytes)
        {
            throw new UpdateRefusedException($"the bundle is {length} bytes, more than an update can be");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(partial, offset > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
        var buffer = new byte[64 * 1024];
        var started = time.GetTimestamp();
        long fetched = 0;
        var reported = offset;
        progress(offset, length);
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (offset + fetched + read > (length ?? UpdateManifest.MaxBundleBytes))
            {
                throw new UpdateRefusedException("the server sends more bytes than the bundle has");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            fetched += read;
            if (bytesPerSecond is > 0 and var rate)
            {
                var ahead = TimeSpan.FromSeconds((double)fetched / rate) - time.GetElapsedTime(started);
                if (ahead > TimeSpan.Zero)
                {
                    await Task.Delay(ahead, time, cancellationToken).ConfigureAwait(false);
                }
            }

            if (offset + fetched - reported >= Math.Max(1 << 20, (length ?? 0) / 20))
            {
                reported = offset + fetched;
                progress(reported, length);
            }
        }

        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        progress(offset + fetched, length);
    }
}
