using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Http.Features;

namespace SessionAppliance.Node.Hosting;

/// <summary>Writes plain or JSON answers; <see cref="RequestBodyReader"/> reads bodies.</summary>
public static class HttpBody
{
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
