using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SessionAppliance.Status.Console;

/// <summary>
/// The console's HTTP surface on the LAN port: the page, its stylesheet, /api/status, /metrics, and the POSTs
/// that claim the pairing window, sign out, run an action or change bandwidth or update settings.
/// </summary>
public static partial class ConsoleEndpoints
{
    public static void MapConsole(this WebApplication app)
    {
        var engine = app.Services.GetRequiredService<StatusEngine>();
        var sessions = app.Services.GetRequiredService<ConsoleSessions>();
        var actions = app.Services.GetRequiredService<ConsoleActions>();
        var history = app.Services.GetRequiredService<ConsoleHistory>();
        var options = app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        var time = app.Services.GetRequiredService<TimeProvider>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SessionAppliance.Status.Console");
        var hostName = Environment.MachineName;

        app.Use(async (context, next) =>
        {
            if (!LanAddresses.IsLan(context.Connection.RemoteIpAddress))
            {
                await Text(context, 403, "The console answers on the local network only.").ConfigureAwait(false);
                return;
            }

            // DNS rebinding: a web page elsewhere may point its own name at this board. Only the board's names
            // and bare addresses are answered, so a foreign origin never reads the page or its forms.
            if (!LanAddresses.IsConsoleHost(context.Request.Host.Host, hostName))
            {
                await Text(context, 421, "Open the console as http://session-node.local/, by the board's own name or by its address.").ConfigureAwait(false);
                return;
            }

            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // same-origin, not no-referrer: with no-referrer the browser sends "Origin: null" on the page's own forms.
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers.CacheControl = "no-store";
            if (HttpMethods.IsPost(context.Request.Method) && !SameOrigin(context.Request))
            {
                LogRefused(logger, context.Request.Path, "cross-site request");
                await Text(context, 403, "Refused: this request did not come from the console's own page.").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        Task Page(HttpContext context, int status = 200, string? notice = null, IReadOnlyList<string>? problems = null)
        {
            var csrf = sessions.CsrfFor(context.Request.Cookies[ConsoleSessions.CookieName]);
            // The boot partition's file is read only for a signed-in browser: only the form shows its values.
            var fileSettings = csrf is null ? new Dictionary<string, string>() : SettingsFile.Read(options.SettingsFile);
            var page = new PageContext(engine.View(), history, hostName, time.GetLocalNow().Offset, csrf, fileSettings,
                options.SettingsFile, notice, problems) { Sessions = sessions.Count };
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(ConsolePage.Render(page));
        }

        app.MapGet("/", context => Page(context));
        app.MapGet("/console.css", context =>
        {
            context.Response.ContentType = "text/css; charset=utf-8";
            context.Response.Headers.CacheControl = "max-age=3600";
            return context.Response.WriteAsync(ConsoleStyle.Css);
        });
        app.MapGet("/api/status", async context =>
        {
            context.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            StatusJson.Write(json, engine.View(), hostName);
        });
        app.MapPost("/pair", context =>
        {
            if (!engine.TryClaimPairing())
            {
                LogRefused(logger, context.Request.Path, "no pairing window open");
                return Page(context, 403, problems: ["The pairing window is not open. Press the board's button twice quickly, then claim within 5 minutes."]);
            }

            var (id, _) = sessions.Create();
            context.Response.Cookies.Append(ConsoleSessions.CookieName, id, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = sessions.Lifetime, IsEssential = true,
            });
            LogPaired(logger);
            return Redirect(context);
        });
        app.MapPost("/signout", async context =>
        {
            if (await AuthorizedAsync(context, sessions).ConfigureAwait(false))
            {
                if (context.Request.Form["everywhere"] == "yes")
                {
                    sessions.EndAll();
                    LogAction(logger, "sign out of every browser");
                }

                sessions.End(context.Request.Cookies[ConsoleSessions.CookieName]);
                context.Response.Cookies.Delete(ConsoleSessions.CookieName);
            }

            await Redirect(context).ConfigureAwait(false);
        });
        app.MapPost("/action/{name}", async context =>
        {
            var name = context.Request.RouteValues["name"] as string ?? "";
            if (!await AuthorizedAsync(context, sessions).ConfigureAwait(false))
            {
                LogRefused(logger, context.Request.Path, "not signed in");
                await Page(context, 403, problems: ["Changes need a claimed console: press the board's button twice quickly, then claim it here."]).ConfigureAwait(false);
                return;
            }

            if (name is "reboot" or "shutdown" && context.Request.Form["confirm"] != "yes")
            {
                await Page(context, 400, problems: ["Tick \"sure\" to confirm."]).ConfigureAwait(false);
                return;
            }

            string? said;
            try
            {
                said = await actions.RunAsync(name, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                await Page(context, 503, problems: [$"The board could not take the request: {error.Message}"]).ConfigureAwait(false);
                return;
            }

            if (said is null)
            {
                await Text(context, 404, "No such action.").ConfigureAwait(false);
                return;
            }

            LogAction(logger, name);
            await Page(context, 200, said).ConfigureAwait(false);
        });
        // A settings change: signed in, valid in the settings file's own words, then left for the root-run path unit.
        async Task SaveAsync(HttpContext context, Func<IFormCollection, (IReadOnlyList<string> Problems, Action Request)> read, string what, string notice)
        {
            if (!await AuthorizedAsync(context, sessions).ConfigureAwait(false))
            {
                LogRefused(logger, context.Request.Path, "not signed in");
                await Page(context, 403, problems: ["Changes need a claimed console: press the board's button twice quickly, then claim it here."]).ConfigureAwait(false);
                return;
            }

            var (problems, request) = read(context.Request.Form);
            if (problems.Count > 0)
            {
                await Page(context, 422, problems: problems).ConfigureAwait(false);
                return;
            }

            try
            {
                request();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                await Page(context, 503, problems: [$"The board could not take the change: {error.Message}"]).ConfigureAwait(false);
                return;
            }

            LogAction(logger, what);
            await Page(context, 200, notice).ConfigureAwait(false);
        }

        app.MapPost("/settings", context => SaveAsync(context, form =>
        {
            var change = new BandwidthChange(form["bandwidth_rate"].ToString(), form["bandwidth_burst"].ToString(), form["monthly_quota"].ToString(),
                form["quota_start_day"].ToString(), form["bandwidth_policy"].ToString(), form["quota_rule"].ToString(), form["bandwidth_schedule"].ToString());
            return (change.Validate(time), () => actions.RequestSettings(change));
        }, "bandwidth settings", "Saved to the settings file; the node restarts with them in a few seconds."));
        app.MapPost("/settings/update", context => SaveAsync(context, form =>
        {
            var change = new UpdateChange(form["auto_update"].ToString(), form["update_window"].ToString());
            return (change.Validate(), () => actions.RequestUpdateSettings(change));
        }, "update settings", "Saved to the settings file; the update agent follows it from its next check."));
    }

    /// <summary>A live session cookie and the form's anti-forgery token for it.</summary>
    private static async Task<bool> AuthorizedAsync(HttpContext context, ConsoleSessions sessions)
    {
        if (!context.Request.HasFormContentType)
        {
            return false;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        return sessions.Authorizes(context.Request.Cookies[ConsoleSessions.CookieName], form["csrf"]);
    }

    /// <summary>A POST must come from this console's own page: its Origin (or, lacking one, its Referer) names this host.</summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var own = $"{request.Scheme}://{request.Host}";
        if (request.Headers.Origin is [{ } origin])
        {
            return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase);
        }

        return request.Headers.Referer is [{ } referer] && referer.StartsWith(own + "/", StringComparison.OrdinalIgnoreCase);
    }

    private static Task Redirect(HttpContext context)
    {
        context.Response.StatusCode = 303;
        context.Response.Headers.Location = "/";
        return Task.CompletedTask;
    }

    private static Task Text(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, Encoding.UTF8);
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Console: a browser claimed the pairing window")]
    private static partial void LogPaired(ILogger logger);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Console: {Action} asked for from the page")]
    private static partial void LogAction(ILogger logger, string action);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Console: refused {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string path, string reason);
}
