using System.Text;

namespace SessionAppliance.Bench;

/// <summary>Message bodies for benchmarks: a tag that makes each one distinct (and so its hash), then zeros.</summary>
public static class BenchPayload
{
    public static byte[] Of(string tag, int size = 1024)
    {
        var data = new byte[size];
        Encoding.ASCII.GetBytes(tag).CopyTo(data, 0);
        return data;
    }
}
