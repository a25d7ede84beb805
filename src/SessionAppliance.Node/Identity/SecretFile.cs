namespace SessionAppliance.Node.Identity;

/// <summary>Writes a secret to disk readable by the owner only (0600), atomically and durably.</summary>
internal static class SecretFile
{
    public static void WriteOnce(string path, ReadOnlySpan<byte> content)
    {
        OwnerOnlyFiles.EnsureDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".new";
        using (var stream = OwnerOnlyFiles.Open(temporary, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.WriteThrough))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
    }
}
