using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Tests;

public class PatternChartTests
{
    [Fact]
    public void The_committed_pattern_picture_matches_the_state_table_in_code()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "SessionAppliance.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("repository root not found");
        }

        var committed = File.ReadAllText(Path.Combine(root, "hardware", "led-patterns.svg"));

        // Regenerate with: dotnet run --project src/SessionAppliance.Status -- patterns-svg > hardware/led-patterns.svg
        Assert.Equal(PatternChart.Svg(), committed);
    }
}
