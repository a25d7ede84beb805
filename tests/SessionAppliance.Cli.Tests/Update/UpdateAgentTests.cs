using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Cli.Update;
using Spectre.Console;

namespace SessionAppliance.Cli.Tests.Update;

public sealed class UpdateAgentTests : IDisposable
{
    private const string ManifestUrl = "https://updates.test/stable.json";
    private readonly string _root = Directory.CreateTempSubdirectory("cli-update-").FullName;
    private readonly FakeUpdateServer _server = new();
    private readonly FakeInstaller _installer = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 3, 30, 0, TimeSpan.Zero));
    private readonly StringWriter _output = new();
    private readonly UpdateSettings _settings = UpdateSettings.Default with { ManifestUrl = new Uri(ManifestUrl) };
    private DateTimeOffset _bootedAt;
    private bool _signaturesValid = true;
    private int _reboots;

    public UpdateAgentTests() => _bootedAt = _time.GetUtcNow() - TimeSpan.FromHours(1);

    private string RunDirectory => Path.Combine(_root, "run");

    private string BootDirectory => Path.Combine(_root, "boot");

    private string StateDirectory => Path.Combine(_root, "data-update");

    private string Output => _output.ToString();

    private byte[] Offer(string version, string? bundleText = null)
    {
        var bundle = Encoding.UTF8.GetBytes(bundleText ?? $"bundle {version}");
        var name = $"session-appliance-{version}-arm64.raucb";
        _server.Files["https://updates.test/" + name] = bundle;
        _server.Files[ManifestUrl] = Encoding.UTF8.GetBytes(
            $$"""{"version":"{{version}}","compatible":"session-appliance-arm64","bundle":"{{name}}","size":{{bundle.Length}},"sha256":"{{Convert.ToHexStringLower(SHA256.HashData(bundle))}}"}""");
        _server.Files[ManifestUrl + ".sig"] = [0x30, 0x80];
        return bundle;
    }

    private async Task<int> RunAsync(Func<UpdateAgent, Task<int>> run)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(_output) });
        console.Profile.Width = 300;
        using var http = new HttpClient(_server, disposeHandler: false);
        var board = new UpdateAgent.Board("0.1.0", RunDirectory, BootDirectory, new Uri("http://127.0.0.1:22080/health"), _bootedAt, TimeZoneInfo.Utc, () =>
        {
            _reboots++;
            return Task.CompletedTask;
        });
        var agent = new UpdateAgent(console, http, board, new UpdateState(StateDirectory), _installer, (_, _, _) => Task.FromResult(_signaturesValid), _time);
        var task = run(agent);
        while (!task.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(1)); // retry pauses run on the fake clock
            await Task.Delay(1);
        }

        return await task;
    }

    private Task<int> AutomaticAsync(UpdateSettings? settings = null) => RunAsync(agent => agent.AutomaticAsync(settings ?? _settings, CancellationToken.None));

    private string? Pending => File.Exists(Path.Combine(StateDirectory, "pending")) ? File.ReadAllText(Path.Combine(StateDirectory, "pending")).Trim() : null;

    [Fact]
    public async Task A_newer_version_inside_the_window_is_fetched_installed_into_the_other_slot_left_pending_and_rebooted_into()
    {
        Offer("0.2.0");

        Assert.Equal(0, await AutomaticAsync());

        Assert.Equal(["0.2.0"], _installer.Installed);
        Assert.StartsWith("B 0.2.0 ", Pending, StringComparison.Ordinal);
        Assert.Equal(1, _reboots);
        Assert.True(File.Exists(Path.Combine(RunDirectory, "update-in-progress"))); // the light says "do not unplug" until the reboot
        Assert.False(Directory.Exists(Path.Combine(StateDirectory, "download")));  // no stale copy stays on the card
        Assert.Contains("installing 0.2.0 into slot B", Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dropped_download_resumes_from_where_it_stopped()
    {
        var bundle = Offer("0.2.0", "bundle 0.2.0" + new string(' ', 300_000));
        var url = "https://updates.test/session-appliance-0.2.0-arm64.raucb";
        _server.DropAfter[url] = 100_000;

        Assert.Equal(0, await AutomaticAsync());

        Assert.Contains($"{url} from 100000", _server.Requests);
        Assert.Equal(2, _server.Requests.Count(r => r.StartsWith(url, StringComparison.Ordinal)));
        Assert.Equal(["0.2.0"], _installer.Installed);
        Assert.Equal(300_012, bundle.Length);
    }

    [Fact]
    public async Task A_server_that_ignores_ranges_gets_the_whole_file_again_not_a_doubled_one()
    {
        Offer("0.2.0", "bundle 0.2.0" + new string(' ', 300_000));
        var url = "https://updates.test/session-appliance-0.2.0-arm64.raucb";
        _server.DropAfter[url] = 100_000;
        _server.IgnoreRanges = true;

        Assert.Equal(0, await AutomaticAsync());

        Assert.Equal(["0.2.0"], _installer.Installed);
    }

    [Fact]
    public async Task Outside_the_window_the_bundle_is_downloaded_and_waits_then_installs_in_the_window_without_a_new_check()
    {
        Offer("0.2.0");
        _time.SetUtcNow(new DateTimeOffset(2026, 12, 3, 14, 0, 0, TimeSpan.Zero));

        Assert.Equal(0, await AutomaticAsync());
        Assert.Empty(_installer.Installed);
        Assert.Contains("installs in the update window 03:00-05:00 (now 14:00)", Output, StringComparison.Ordinal);

        _server.Requests.Clear();
        _time.SetUtcNow(new DateTimeOffset(2026, 12, 4, 3, 10, 0, TimeSpan.Zero));
        Assert.Equal(0, await AutomaticAsync());

        Assert.Equal(["0.2.0"], _installer.Installed);
        Assert.DoesNotContain(_server.Requests, r => r.StartsWith("https://updates.test/", StringComparison.Ordinal)); // not due, and the bundle was already here
    }

    [Fact]
    public async Task Checks_are_daily_and_again_after_each_boot()
    {
        Offer("0.1.0"); // what runs
        Assert.Equal(0, await AutomaticAsync());
        Assert.Contains("up to date", Output, StringComparison.Ordinal);

        _server.Requests.Clear();
        _time.Advance(TimeSpan.FromHours(3));
        await AutomaticAsync();
        Assert.DoesNotContain(ManifestUrl, _server.Requests);

        _bootedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(3));
        await AutomaticAsync();
        Assert.Contains(ManifestUrl, _server.Requests);

        _server.Requests.Clear();
        _time.Advance(TimeSpan.FromHours(26)); // past a day and the largest jitter (2 h)
        await AutomaticAsync();
        Assert.Contains(ManifestUrl, _server.Requests);
    }

    [Fact]
    public async Task A_run_while_another_holds_the_lock_installs_nothing()
    {
        Offer("0.2.0");
        Directory.CreateDirectory(RunDirectory);
        using (new FileStream(Path.Combine(RunDirectory, "update.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.Equal(0, await AutomaticAsync());
            Assert.Equal(1, await RunAsync(agent => agent.ManualAsync(null, _settings, reboot: false, CancellationToken.None)));
        }

        Assert.Empty(_installer.Installed);
        Assert.Contains("another update run is in progress", Output, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(0, await AutomaticAsync());
        Assert.Equal(["0.2.0"], _installer.Installed);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_asked_again_at_the_next_run_not_a_day_later()
    {
        Assert.Equal(1, await AutomaticAsync()); // nothing served yet: 404

        Offer("0.2.0");
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await AutomaticAsync());

        Assert.Equal(["0.2.0"], _installer.Installed);
    }

    [Fact]
    public async Task A_manifest_not_signed_by_a_trusted_key_is_refused_before_any_download_and_the_light_says_why()
    {
        Offer("0.2.0");
        _signaturesValid = false;

        Assert.Equal(1, await AutomaticAsync());

        Assert.Empty(_installer.Installed);
        Assert.DoesNotContain(_server.Requests, r => r.EndsWith(".raucb", StringComparison.Ordinal));
        Assert.Contains("not signed by a key this board trusts", File.ReadAllText(Path.Combine(RunDirectory, "update-refused")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_whose_hash_differs_from_the_signed_manifest_is_deleted_and_refused()
    {
        Offer("0.2.0");
        _server.Files["https://updates.test/session-appliance-0.2.0-arm64.raucb"] = Encoding.UTF8.GetBytes("bundle 0.2.X");

        Assert.Equal(1, await AutomaticAsync());

        Assert.Empty(_installer.Installed);
        Assert.Contains("SHA-256", Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(StateDirectory, "download")));
    }

    [Fact]
    public async Task Nothing_happens_while_automatic_updates_are_off_an_update_is_pending_or_the_version_was_rolled_back()
    {
        Offer("0.2.0");
        Assert.Equal(0, await AutomaticAsync(_settings with { AutoInstall = false }));
        Assert.Contains("automatic updates are off", Output, StringComparison.Ordinal);

        Directory.CreateDirectory(StateDirectory);
        File.WriteAllText(Path.Combine(StateDirectory, "rejected"), "0.2.0\n");
        Assert.Equal(0, await AutomaticAsync());
        Assert.Contains("did not pass the health gate here before", Output, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(StateDirectory, "pending"), "B 0.1.9 1764730000\n");
        Assert.Equal(0, await AutomaticAsync());
        Assert.Contains("waits for the health gate", Output, StringComparison.Ordinal);
        Assert.Empty(_installer.Installed);
    }

    [Fact]
    public async Task A_bundle_on_the_boot_partition_installs_at_boot_and_a_refused_one_is_set_aside()
    {
        Directory.CreateDirectory(BootDirectory);
        File.WriteAllText(Path.Combine(BootDirectory, "offline.raucb"), "bundle 0.3.0");

        Assert.Equal(0, await AutomaticAsync(_settings with { AutoInstall = false }));
        Assert.Equal(["0.3.0"], _installer.Installed);
        Assert.True(File.Exists(Path.Combine(BootDirectory, "offline.installed")));

        File.Delete(Path.Combine(StateDirectory, "pending"));
        File.WriteAllText(Path.Combine(BootDirectory, "forged.raucb"), "not signed");
        Assert.Equal(1, await AutomaticAsync());
        Assert.True(File.Exists(Path.Combine(BootDirectory, "forged.refused")));
        Assert.Contains("signature verification failed", File.ReadAllText(Path.Combine(RunDirectory, "update-refused")), StringComparison.Ordinal);
        Assert.Single(_installer.Installed);
    }

    [Fact]
    public async Task The_operator_can_install_a_named_file_without_rebooting()
    {
        var file = Path.Combine(_root, "manual.raucb");
        File.WriteAllText(file, "bundle 0.4.0");

        Assert.Equal(0, await RunAsync(agent => agent.ManualAsync(file, _settings, reboot: false, CancellationToken.None)));

        Assert.Equal(["0.4.0"], _installer.Installed);
        Assert.Equal(0, _reboots);
        Assert.False(File.Exists(Path.Combine(RunDirectory, "update-in-progress")));
        Assert.StartsWith("B 0.4.0 ", Pending, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server.Dispose();
        _output.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
