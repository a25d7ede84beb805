using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SessionAppliance.Client;
using SessionAppliance.Status.Tests.Support;

using SessionAppliance.Status.Console;

namespace SessionAppliance.Status.Tests.Console;

/// <summary>A real node, a real status service and Debian's chromium, shared by the tests of the console page.</summary>
public sealed class ConsoleBrowserFixture : IAsyncLifetime
{
    public ConsoleRig Rig { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("SESSION_APPLIANCE_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"the console's browser tests need Debian's chromium at {chromium} (apt-get install chromium; .ci/run installs it)");
        Rig = await ConsoleRig.StartAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in CI containers cannot use chromium's user-namespace sandbox.
            Args = ["--no-sandbox", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Rig.DisposeAsync();
    }
}

[Trait("Category", "Browser")]
public sealed class ConsoleBrowserTests(ConsoleBrowserFixture fixture) : IClassFixture<ConsoleBrowserFixture>
{
    private ConsoleRig Rig => fixture.Rig;

    private async Task<IPage> OpenAsync()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 900, Height = 1400 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Rig.ConsoleUrl.ToString());
        return page;
    }

    /// <summary>Screenshots for docs/console when SESSION_APPLIANCE_SCREENSHOTS names a directory (scripts/console-screenshots).</summary>
    private static async Task ScreenshotAsync(IPage page, string state)
    {
        if (Environment.GetEnvironmentVariable("SESSION_APPLIANCE_SCREENSHOTS") is { Length: > 0 } directory)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"console-{state}.png"), FullPage = true });
        }
    }

    /// <summary>Loads / until the selector matches, as the page's own refresh does, or fails after a minute.</summary>
    private async Task ReloadUntilAsync(IPage page, string selector)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (await page.QuerySelectorAsync(selector) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the page never showed {selector}: {await page.InnerTextAsync("body")}");
            await Task.Delay(250);
            await page.GotoAsync(Rig.ConsoleUrl.ToString());
        }
    }

    [Fact]
    public async Task The_plots_render_with_the_nodes_real_data()
    {
        using var client = new NodeRpcClient(new Uri($"https://127.0.0.1:{Rig.NodePort}"));
        var account = new StorageRequests(AccountKeys.NewSessionId());
        for (var i = 0; i < 25; i++)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var reply = await client.CallAsync("store", account.Store(0, [.. BitConverter.GetBytes(i), .. new byte[200]], now, 3_600_000, sign: false));
            Assert.Equal(200, reply.Code);
            await Task.Delay(40);
        }

        var page = await OpenAsync();
        // The console samples once a second here: wait for two samples after the stores.
        await ReloadUntilAsync(page, "#chart-messages polyline[data-max='25']");
        await ReloadUntilAsync(page, "#chart-requests polyline[data-name='store']:not([data-max='0'])");

        foreach (var chart in new[] { "#chart-bandwidth", "#chart-messages", "#chart-requests" })
        {
            Assert.True(await page.IsVisibleAsync(chart), chart);
            var box = await page.Locator(chart).BoundingBoxAsync();
            Assert.True(box is { Width: > 300, Height: > 80 }, $"{chart} is drawn at a readable size");
        }

        var counted = page.Locator("#chart-bandwidth polyline[data-name='counted']");
        Assert.True(double.Parse(await counted.GetAttributeAsync("data-max") ?? "0", CultureInfo.InvariantCulture) > 25 * 200, "the stores' bytes count against the period");
        Assert.Contains("25", await page.InnerTextAsync("dl.facts"), StringComparison.Ordinal);
        Assert.Equal("Healthy", await page.GetAttributeAsync("#health", "data-state"));
        await ScreenshotAsync(page, "healthy");
    }

    [Fact]
    public async Task A_change_is_refused_outside_the_pairing_window_and_accepted_inside_it()
    {
        var page = await OpenAsync();
        Assert.Null(await page.QuerySelectorAsync("#bandwidth"));

        // Outside the window: claiming is refused, and so is a forged change with no session.
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#claim"), r => r.Url.EndsWith("/pair", StringComparison.Ordinal));
        Assert.Equal(403, refused.Status);
        Assert.Contains("pairing window is not open", await page.InnerTextAsync("#problems"), StringComparison.Ordinal);
        var forged = await page.APIRequest.PostAsync(new Uri(Rig.ConsoleUrl, "settings").ToString(), new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Origin"] = Rig.ConsoleUrl.GetLeftPart(UriPartial.Authority) },
            Form = FormOf(page, ("csrf", "guess"), ("bandwidth_rate", "1 MB/s")),
        });
        Assert.Equal(403, forged.Status);
        var crossSite = await page.APIRequest.PostAsync(new Uri(Rig.ConsoleUrl, "pair").ToString(), new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Origin"] = "http://evil.example" },
        });
        Assert.Equal(403, crossSite.Status);
        Assert.False(File.Exists(Path.Combine(Rig.RequestDirectory, "settings")));

        // The operator opens the window (a double press; over SSH, `session-appliance pair` touches this file).
        File.WriteAllText(Path.Combine(Rig.RunDirectory, "pair"), "");
        await ReloadUntilAsync(page, "#health[data-state='Pairing']");
        await ScreenshotAsync(page, "pairing");
        await page.ClickAsync("#claim");
        Assert.True(await page.IsVisibleAsync("#bandwidth"));
        Assert.Equal("5 MB/s", await page.InputValueAsync("input[name='bandwidth_rate']"));

        // The node's own validation speaks for a bad value, and nothing is written.
        await page.FillAsync("input[name='bandwidth_rate']", "fast");
        await page.ClickAsync("#save-bandwidth");
        Assert.Contains("'fast' is not a positive rate", await page.InnerTextAsync("#problems"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Rig.RequestDirectory, "settings")));

        await page.FillAsync("input[name='bandwidth_rate']", "2 MB/s");
        await page.FillAsync("input[name='bandwidth_schedule']", "18:00-23:00 1 MB/s");
        await page.ClickAsync("#save-bandwidth");
        Assert.Contains("Saved to the settings file", await page.InnerTextAsync("#notice"), StringComparison.Ordinal);
        var request = File.ReadAllText(Path.Combine(Rig.RequestDirectory, "settings"));
        Assert.Contains("bandwidth_rate = 2 MB/s\n", request, StringComparison.Ordinal);
        Assert.Contains("bandwidth_schedule = 18:00-23:00 1 MB/s\n", request, StringComparison.Ordinal);

        // The update switch: its own request, so it never overwrites a bandwidth change not yet applied.
        Assert.Contains("install by themselves between 03:00-05:00", await page.InnerTextAsync("#update-policy"), StringComparison.Ordinal);
        await page.FillAsync("input[name='update_window']", "25:00-02:00");
        await page.ClickAsync("#save-updates");
        Assert.Contains("must be a local-time window", await page.InnerTextAsync("#problems"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Rig.RequestDirectory, UpdateChange.RequestFileName)));
        await page.SelectOptionAsync("select[name='auto_update']", "no");
        await page.FillAsync("input[name='update_window']", "01:00-02:00");
        await page.ClickAsync("#save-updates");
        Assert.Contains("the update agent follows it", await page.InnerTextAsync("#notice"), StringComparison.Ordinal);
        Assert.Equal("auto_update = no\nupdate_window = 01:00-02:00\n", File.ReadAllText(Path.Combine(Rig.RequestDirectory, UpdateChange.RequestFileName)));
        Assert.Equal(request, File.ReadAllText(Path.Combine(Rig.RequestDirectory, "settings")));

        await page.ClickAsync("#action-identify");
        await ReloadUntilAsync(page, "#health[data-state='Identify']");
        await ScreenshotAsync(page, "identify");
        await page.ClickAsync("#action-restart-node");
        Assert.True(File.Exists(Path.Combine(Rig.RequestDirectory, "restart-node")));
    }

    [Fact]
    public async Task The_page_reports_a_hung_node_and_its_recovery()
    {
        var page = await OpenAsync();
        File.WriteAllText(Path.Combine(Rig.RunDirectory, "settings-errors"), "ERROR  bandwidth_rate = fast: must be a rate\n");
        await ReloadUntilAsync(page, "#health[data-state='Degraded']");
        await ScreenshotAsync(page, "degraded");
        File.Delete(Path.Combine(Rig.RunDirectory, "settings-errors"));

        Signal(Rig.Node, "STOP");
        try
        {
            await ReloadUntilAsync(page, "#node-hung");
            Assert.Equal("Error", await page.GetAttributeAsync("#health", "data-state"));
            Assert.Contains("the node does not answer", await page.InnerTextAsync("#health"), StringComparison.Ordinal);
            await ScreenshotAsync(page, "error");
        }
        finally
        {
            Signal(Rig.Node, "CONT");
        }

        await Rig.WaitForStateAsync("healthy");
        await page.GotoAsync(Rig.ConsoleUrl.ToString());
        Assert.Null(await page.QuerySelectorAsync("#node-hung"));
    }

    [Fact]
    public async Task A_scrape_returns_every_metric_docs_console_md_lists()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "SessionAppliance.sln")))
        {
            root = root.Parent!;
        }

        var documented = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(root.FullName, "docs", "console.md")), @"^\| `([a-z_]+)(\{[a-z]+\})?` \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri(Rig.ConsoleUrl, "metrics"));

        Assert.True(documented.Count >= 20, $"docs/console.md lists {documented.Count} metrics");
        Assert.All(documented, name => Assert.Matches($"(?m)^{name}{{", scrape));
        Assert.Contains("# TYPE session_node_requests_total counter", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_name_pointed_at_the_board_is_refused_and_the_boards_names_are_served()
    {
        using var http = new HttpClient();
        async Task<int> StatusFor(string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Rig.ConsoleUrl);
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.Equal(421, await StatusFor("evil.example"));
        Assert.Equal(200, await StatusFor("session-node.local"));
        Assert.Equal(200, await StatusFor($"127.0.0.1:{Rig.ConsolePort}"));
    }

    private static IFormData FormOf(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
