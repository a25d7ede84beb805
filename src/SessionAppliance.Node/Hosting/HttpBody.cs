using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Http.Features;

namespace SessionAppliance.Node.Hosting;

/// <summary>
/// Writes plain, JSON or byte answers, each whole with a Content-Length as the reference's server frames every
/// answer (never chunked); <see cref="RequestBodyReader"/> reads bodies.
/// </summary>
public static class HttpBody
{
    public static Task WriteTextAsync(HttpContext context, int status, string text) =>
        WriteAsync(context, status, "text/plain", System.Text.Encoding.UTF8.GetBytes(text));

    public static Task WriteJsonAsync(HttpContext context, int status, string json) =>
        WriteAsync(context, status, "application/json", System.Text.Encoding.UTF8.GetBytes(json));

    public static async Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
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
