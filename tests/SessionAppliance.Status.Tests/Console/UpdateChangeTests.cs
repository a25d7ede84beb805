using SessionAppliance.Status.Console;

namespace SessionAppliance.Status.Tests.Console;

public class UpdateChangeTests
{
    [Theory]
    [InlineData("yes", "")]
    [InlineData("no", "03:00-05:00")]
    [InlineData("yes", "22:30-1:00")]
    [InlineData("no", "23:00 - 23:59")]
    public void Valid_changes_pass(string auto, string window) => Assert.Empty(new UpdateChange(auto, window).Validate());

    [Theory]
    [InlineData("yes", "3-5", "update_window '3-5' must be a local-time window such as 03:00-05:00")]
    [InlineData("yes", "24:00-05:00", "update_window '24:00-05:00' must be a local-time window such as 03:00-05:00")]
    [InlineData("yes", "04:00-4:00", "update_window '04:00-4:00' starts and ends at the same time")]
    [InlineData("maybe", "", "auto_update 'maybe' must be yes or no")]
    public void Bad_values_are_refused_in_the_imports_words(string auto, string window, string problem) =>
        Assert.Equal([problem], new UpdateChange(auto, window).Validate());

    [Fact]
    public void The_request_holds_both_keys_and_an_empty_window_restores_the_default() =>
        Assert.Equal("auto_update = no\nupdate_window = \n", new UpdateChange("no", "  ").RequestText());

    [Theory]
    [InlineData(null, true)]
    [InlineData("yes", true)]
    [InlineData("No", false)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    [InlineData("sometimes", true)] // the import refuses it with an ERROR line, so the default (on) applies
    public void The_switch_reads_the_file_as_the_import_does(string? value, bool on)
    {
        var settings = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["auto_update"] = value };

        Assert.Equal(on, UpdateChange.IsOn(settings));
    }
}
