using System.Buffers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Http.Features;

namespace SessionAppliance.Node.Hosting;

/// <summary>Reads a request body up to the protocol's 10 MiB cap (spec §2) and writes plain or JSON answers.</summary>
public static class HttpBody
{
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The whole body, or null when it is larger than the cap. With a Content-Length (what clients and our
    /// nodes send) it is read straight into one buffer of that size: one allocation per request.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (context.Request.ContentLength is { } length)
            {
                return length > MaxBytes ? null : await ReadExactlyAsync(context.Request.Body, (int)length, cancellationToken).ConfigureAwait(false);
            }

            return await ReadChunkedAsync(context.Request.Body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is EndOfStreamException or BadHttpRequestException or IOException)
        {
            // The client went away mid-body: nothing to answer, nobody to answer to.
            context.Abort();
            throw new OperationCanceledException("client closed the connection", error, context.RequestAborted);
        }
    }

    private static async Task<byte[]?> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        await body.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    public static Task WriteTextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    public static Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>An error with no text of its own answers its reason phrase and a newline, as the reference does.</summary>
    public static Task WriteStatusAsync(HttpContext context, int status) =>
        WriteTextAsync(context, status, ReasonPhrases.GetReasonPhrase(status) + "\n");

    public static void DisableKestrelBodyLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
    }
}
