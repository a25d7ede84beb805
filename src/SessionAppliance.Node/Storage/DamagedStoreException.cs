namespace SessionAppliance.Node.Storage;

/// <summary>
/// The message file cannot be read. The node refuses to start rather than silently dropping what it holds;
/// the message says how to move the file aside (the node then starts empty; its swarm does not send the old
/// messages back, only new ones arrive).
/// </summary>
public sealed class DamagedStoreException(string message, Exception inner) : IOException(message, inner)
{
    /// <summary>What LiteDB throws when it meets pages it cannot make sense of, and what the journal throws for a damaged header.</summary>
    public static bool Indicates(Exception error) =>
        error is LiteDB.LiteException or InvalidCastException or IndexOutOfRangeException or ArgumentException or InvalidDataException;

    public static DamagedStoreException For(string path, Exception error) => new(
        $"the message store {path} is damaged ({error.Message}). Nothing was changed. To start with an empty store " +
        $"(the other members of its swarm keep their copies; this node receives only new messages), run: session-appliance-node --recover-store (it renames the damaged files to " +
        $"*.damaged-<time> and keeps them for inspection)",
        error);
}
