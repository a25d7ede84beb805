using System.Net;
using System.Net.Http.Headers;

namespace SessionAppliance.Cli.Tests.Update;

/// <summary>An update server in memory: files by URL, byte ranges, and a connection that drops after N bytes.</summary>
internal sealed class FakeUpdateServer : HttpMessageHandler
{
    public Dictionary<string, byte[]> Files { get; } = [];

    /// <summary>The next response for this URL breaks off after this many bytes of its body.</summary>
    public Dictionary<string, int> DropAfter { get; } = [];

    public bool IgnoreRanges { get; set; }

    public List<string> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.AbsoluteUri;
        var range = request.Headers.Range?.Ranges.Single().From;
        Requests.Add(range is { } r ? $"{url} from {r}" : url);
        if (!Files.TryGetValue(url, out var file))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }

        var from = IgnoreRanges ? 0 : (int)(range ?? 0);
        var body = file[from..];
        Stream stream = new MemoryStream(body);
        if (DropAfter.Remove(url, out var drop))
        {
            stream = new BreakingStream(body.AsMemory(0, Math.Min(drop, body.Length)).ToArray());
        }

        var response = new HttpResponseMessage(range is not null && !IgnoreRanges ? HttpStatusCode.PartialContent : HttpStatusCode.OK) { Content = new StreamContent(stream) };
        response.Content.Headers.ContentLength = body.Length;
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, file.Length - 1, file.Length);
        }

        return Task.FromResult(response);
    }

    /// <summary>Gives its bytes, then fails as a dropped connection does.</summary>
    private sealed class BreakingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = base.Read(buffer.Span);
            return read > 0 ? ValueTask.FromResult(read) : ValueTask.FromException<int>(new IOException("connection reset by peer"));
        }
    }
}
