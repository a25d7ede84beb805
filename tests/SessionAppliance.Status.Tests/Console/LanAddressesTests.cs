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
}
