using System.Net;
using Spectre.Console;

namespace SessionAppliance.Cli.Tests;

public sealed class CommandTests : IDisposable
{
    private const string Status = """
        {"host":"session-node-ab12","state":"degraded","reasons":[{"state":"degraded","reason":"storage nearly full (92% of 3584 MiB)"}],
         "node_contact":"answering","seconds_since_node_answered":1,"pairing_open":false,"version":"0.1.0","node_uptime_seconds":93784,
         "swarm_id":"00ff00ff00ff00ff","swarm_members":7,"network_nodes":120,"reachable":true,"messages":12345,"store_file_bytes":45000000,
         "storage_used_bytes":3400000000,"storage_capacity_bytes":3758096384,"card_write_bytes_per_day":1200000000,"card_life_years":5.1,
         "bandwidth":{"period_start":"2026-12-01 00:00","period_end":"2027-01-01 00:00","counted_bytes":12000000000,"quota_bytes":500000000000,"projected_bytes":124000000000},
         "requests_total":{"store":1234,"retrieve":5678},"cpu_celsius":45.2,"throttled":false,"under_voltage":null}
        """;

    private readonly StringWriter _output = new();
    private readonly string _run = Path.Combine(Path.GetTempPath(), "cli-run-" + Guid.NewGuid().ToString("N")[..8]);

    private IAnsiConsole Console(bool colour = false)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(_output),
        });
        console.Profile.Width = 200;
        return console;
    }

    private async Task<int> RunAsync(HttpMessageHandler handler, params string[] args)
    {
        using var http = new HttpClient(handler);
        return await ApplianceCommands.Build(Console(), new RequestFiles(_run), http).Parse(args).InvokeAsync();
    }

    [Fact]
    public async Task Status_prints_the_state_its_reasons_and_the_facts_plainly_when_there_is_no_colour()
    {
        var code = await RunAsync(new Answer(Status), "status");

        var text = _output.ToString();
        Assert.Equal(1, code); // not healthy: scripts can test the exit code
        Assert.Contains("● degraded  session-node-ab12", text, StringComparison.Ordinal);
        Assert.Contains("degraded: storage nearly full (92% of 3584 MiB)", text, StringComparison.Ordinal);
        Assert.Contains("12,345 (45 MB on the card)", text, StringComparison.Ordinal);
        Assert.Contains("12 GB of 500 GB this period; at today's pace 124 GB by 2027-01-01 00:00", text, StringComparison.Ordinal);
        Assert.Contains("1.2 GB per day, the card lasts about 5.1 years", text, StringComparison.Ordinal);
        Assert.Contains("up 1 d 2 h", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_is_coloured_as_the_light_where_the_terminal_takes_colour()
    {
        using var document = System.Text.Json.JsonDocument.Parse(Status);

        StatusCommand.Render(Console(colour: true), document.RootElement);

        Assert.Contains("\u001b[", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identify_on_top_does_not_hide_a_node_that_is_down_from_the_exit_code()
    {
        const string identifying = """{"host":"b","state":"identify","reasons":[{"state":"identify","reason":"identify requested"},{"state":"error (node down)","reason":"the node does not answer"}],"reachable":null}""";

        var code = await RunAsync(new Answer(identifying), "status");

        Assert.Equal(1, code);
    }

    [Fact]
    public async Task Status_json_prints_the_consoles_json_for_scripts()
    {
        var code = await RunAsync(new Answer(Status), "status", "--json");

        Assert.Equal(0, code);
        Assert.Equal("degraded", System.Text.Json.JsonDocument.Parse(_output.ToString()).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_silent_status_service_is_said_plainly_with_what_to_check()
    {
        var code = await RunAsync(new Refusing(), "status");

        Assert.Equal(2, code);
        Assert.Contains("does not answer", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("systemctl status session-appliance-status", _output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("identify")]
    [InlineData("pair")]
    public async Task Identify_and_pair_leave_their_request_for_the_status_service(string command)
    {
        Directory.CreateDirectory(_run);

        var code = await RunAsync(new Refusing(), command);

        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(_run, command)));
    }

    [Fact]
    public async Task Without_the_run_directory_identify_says_to_run_it_as_root_on_the_board()
    {
        var code = await RunAsync(new Refusing(), "identify");

        Assert.Equal(1, code);
        Assert.Contains("Run it as root on the board", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_accepts_only_the_two_services()
    {
        var code = await RunAsync(new Refusing(), "logs", "--service", "sshd");

        Assert.NotEqual(0, code);
    }

    public void Dispose()
    {
        _output.Dispose();
        if (Directory.Exists(_run))
        {
            Directory.Delete(_run, recursive: true);
        }
    }

    private sealed class Answer(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("/api/status", request.RequestUri!.AbsolutePath);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) });
        }
    }

    private sealed class Refusing : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused");
    }
}
