namespace SessionAppliance.Node.Identity;

/// <summary>
/// Everything in the data directory is the node's alone: the directory 0700, its files 0600, whatever the umask
/// and whoever made them first (an older version made them 0755/0644).
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory 0700, or narrows an existing one to 0700.</summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent))
        {
            Directory.CreateDirectory(parent);
        }

        Directory.CreateDirectory(path, DirectoryMode);
        Narrow(path, DirectoryMode);
    }

    /// <summary>Opens or creates a file 0600, narrowing it when an existing file was wider.</summary>
    public static FileStream Open(string path, System.IO.FileMode mode, FileAccess access, FileShare share, FileOptions options = FileOptions.None)
    {
        var settings = new FileStreamOptions { Mode = mode, Access = access, Share = share, Options = options, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            settings.UnixCreateMode = FileMode;
        }

        var stream = new FileStream(path, settings);
        if (!OperatingSystem.IsWindows())
        {
            Narrow(path, FileMode);
        }

        return stream;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(string path, UnixFileMode wanted)
    {
        if ((File.GetUnixFileMode(path) & ~wanted) != 0)
        {
            File.SetUnixFileMode(path, wanted);
        }
    }
}
