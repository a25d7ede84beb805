using System.Net.Sockets;
using System.Text;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Hosting;

/// <summary>
/// The node as a <c>Type=notify</c> unit with <c>WatchdogSec</c>: a real node process with systemd's variables
/// tells a stand-in notify socket READY=1 and then keeps pinging WATCHDOG=1, as the image's unit expects.
/// </summary>
[Trait("Category", NodeProcess.Category)]
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task The_node_reports_ready_and_pings_the_watchdog_while_alive()
    {
        var directory = Directory.CreateTempSubdirectory("sa-notify-").FullName;
        var socketPath = Path.Combine(directory, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        try
        {
            using var node = await NodeProcess.StartAsync(directory, TestNode.FreePort(), environment: new Dictionary<string, string>
            {
                ["NOTIFY_SOCKET"] = socketPath,
                ["WATCHDOG_USEC"] = "600000",
            });

            var messages = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var buffer = new byte[512];
            // The watchdog may ping before the host has started (a busy machine): wait for both, in any order.
            while (messages.Count(m => m == "WATCHDOG=1") < 3 || !messages.Contains("READY=1"))
            {
                try
                {
                    var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    messages.Add(Encoding.ASCII.GetString(buffer, 0, received).Trim());
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail("in 30 s the node sent only: " + string.Join(" | ", messages));
                }
            }

            Assert.Contains("READY=1", messages);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
