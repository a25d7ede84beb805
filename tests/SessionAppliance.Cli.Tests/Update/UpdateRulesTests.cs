using System.Text;
using SessionAppliance.Cli.Update;

namespace SessionAppliance.Cli.Tests.Update;

public sealed class UpdateRulesTests
{
    private static readonly Uri Base = new("https://updates.test/channel/stable.json");
    private const string Hash = "0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void A_manifest_names_its_bundle_relative_to_itself()
    {
        var manifest = UpdateManifest.Parse(Encoding.UTF8.GetBytes($$"""{"version":"0.2.0","compatible":"session-appliance-arm64","bundle":"b.raucb","size":5,"sha256":"{{Hash}}"}"""), Base);

        Assert.Equal(new Uri("https://updates.test/channel/b.raucb"), manifest.Bundle);
    }

    [Theory]
    [InlineData("""{"version":"0.2.0","compatible":"other-board","bundle":"b","size":5,"sha256":"H"}""", "not this appliance")]
    [InlineData("""{"version":"0.2.0","compatible":"session-appliance-arm64","bundle":"b","size":99999999999,"sha256":"H"}""", "size")]
    [InlineData("""{"version":"0.2.0","compatible":"session-appliance-arm64","bundle":"b","size":5,"sha256":"abc"}""", "sha256")]
    [InlineData("""{"version":"0.2 0","compatible":"session-appliance-arm64","bundle":"b","size":5,"sha256":"H"}""", "version")]
    [InlineData("""{"version":"0.2.0","compatible":"session-appliance-arm64","bundle":"file:///etc/shadow","size":5,"sha256":"H"}""", "http(s)")]
    [InlineData("""[1,2]""", "version")]
    [InlineData("""{"version":""", "not JSON")]
    public void A_manifest_that_is_wrong_in_any_field_is_refused_with_the_field(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => UpdateManifest.Parse(Encoding.UTF8.GetBytes(json.Replace("\"H\"", $"\"{Hash}\"", StringComparison.Ordinal)), Base));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("03:00-05:00", "02:59", false)]
    [InlineData("03:00-05:00", "03:00", true)]
    [InlineData("03:00-05:00", "04:59", true)]
    [InlineData("03:00-05:00", "05:00", false)]
    [InlineData("22:30-01:00", "23:15", true)]
    [InlineData("22:30-01:00", "00:30", true)]
    [InlineData("22:30-01:00", "12:00", false)]
    public void The_install_window_is_local_time_and_may_wrap_past_midnight(string window, string now, bool inside)
    {
        var settings = UpdateSettings.FromEnvironment(name => name == "SESSION_APPLIANCE_Update__Window" ? window : null);

        Assert.Equal(inside, settings.InWindow(TimeOnly.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Settings_default_to_automatic_daily_checks_in_the_night_and_refuse_nonsense()
    {
        var settings = UpdateSettings.FromEnvironment(_ => null);
        Assert.True(settings.AutoInstall);
        Assert.Equal("03:00-05:00", settings.WindowText);
        Assert.Equal(TimeSpan.FromDays(1), settings.CheckInterval);
        Assert.Null(settings.ManifestUrl);

        Assert.Throws<InvalidDataException>(() => UpdateSettings.FromEnvironment(n => n.EndsWith("Window", StringComparison.Ordinal) ? "3-5" : null));
        Assert.Throws<InvalidDataException>(() => UpdateSettings.FromEnvironment(n => n.EndsWith("ManifestUrl", StringComparison.Ordinal) ? "ftp://x/y.json" : null));
        Assert.Throws<InvalidDataException>(() => UpdateSettings.FromEnvironment(n => n.EndsWith("CheckHours", StringComparison.Ordinal) ? "0" : null));
    }
}
