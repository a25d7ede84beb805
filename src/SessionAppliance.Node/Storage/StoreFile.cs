using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>Opening the LiteDB file and measuring it (data file plus its write-ahead log).</summary>
internal static class StoreFile
{
    public static LiteDatabase Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new ConnectionString
        {
            Filename = path,
            Connection = ConnectionType.Direct,
        };
        // No reflection mapper is used: documents are built by hand, which keeps the node trimmable.
        return new LiteDatabase(connection, new BsonMapper());
    }

    public static long SizeOf(string path) => LengthOf(path) + LengthOf(LogPathOf(path));

    private static string LogPathOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    private static long LengthOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }
}
