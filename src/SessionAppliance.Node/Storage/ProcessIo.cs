namespace SessionAppliance.Node.Storage;

/// <summary>
/// The kernel's I/O accounting for this process (<c>/proc/self/io</c>): <c>write_bytes</c> is what reached the
/// block layer (counted when pages are dirtied), <c>wchar</c> what the process asked to write.
/// </summary>
public readonly record struct ProcessIo(long RequestedWriteBytes, long BlockWriteBytes, long CancelledWriteBytes)
{
    public const string DefaultPath = "/proc/self/io";

    /// <summary>Null where the kernel does not expose it (no /proc, or task I/O accounting off).</summary>
    public static ProcessIo? Read(string path = DefaultPath)
    {
        try
        {
            long wchar = -1, write = -1, cancelled = -1;
            foreach (var line in File.ReadLines(path))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0 || !long.TryParse(line.AsSpan(colon + 1).Trim(), out var value))
                {
                    continue;
                }

                switch (line[..colon])
                {
                    case "wchar": wchar = value; break;
                    case "write_bytes": write = value; break;
                    case "cancelled_write_bytes": cancelled = value; break;
                }
            }

            return wchar < 0 || write < 0 ? null : new ProcessIo(wchar, write, Math.Max(0, cancelled));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
