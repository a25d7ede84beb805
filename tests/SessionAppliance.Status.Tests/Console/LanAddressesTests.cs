using System.Net;
using SessionAppliance.Status.Console;

namespace SessionAppliance.Status.Tests.Console;

public class LanAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.9")]
    [InlineData("172.31.255.1")]
    [InlineData("192.168.1.20")]
    [InlineData("169.254.10.10")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:192.168.1.20")]
    public void Lan_and_link_local_clients_may_see_the_console(string address) =>
        Assert.True(LanAddresses.IsLan(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:8.8.8.8")]
    public void Internet_clients_may_not(string address) =>
        Assert.False(LanAddresses.IsLan(IPAddress.Parse(address)));

    [Theory]
    [InlineData("192.168.1.20")]
    [InlineData("[fe80::1]")]
    [InlineData("localhost")]
    [InlineData("session-node.local")]
    [InlineData("session-node-2.local")]
    [InlineData("Session-Node-ab12.local")]
    [InlineData("session-node-ab12.local.")]
    public void The_boards_own_names_and_addresses_are_console_hosts(string host) =>
        Assert.True(LanAddresses.IsConsoleHost(host, "session-node-ab12"));

    [Theory]
    [InlineData("evil.example")]
    [InlineData("session-node.local.evil.example")]
    [InlineData("printer.local")]
    [InlineData("session-node-abcdef.local")]
    public void Other_names_pointed_at_the_board_are_not(string host) =>
        Assert.False(LanAddresses.IsConsoleHost(host, "session-node-ab12"));
}
