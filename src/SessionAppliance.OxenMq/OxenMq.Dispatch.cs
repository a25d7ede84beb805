using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using SessionAppliance.OxenMq.Native;

namespace SessionAppliance.OxenMq;

/// <summary>Access checks in oxen-mq's order (auth.cpp), the ZAP handler that names callers, and handler runs.</summary>
public sealed partial class OxenMq
{
    private static readonly byte[] ReplyWord = "REPLY"u8.ToArray();

    private void Dispatch(OmqConnection connection, string command, List<byte[]> rest, byte[] sender, AuthLevel level, string? address)
    {
        var dot = command.IndexOf('.', StringComparison.Ordinal);
        var known = dot > 0 && _categories.TryGetValue(command[..dot], out var category) ? category : null;
        var handler = known is not null && known.Commands.TryGetValue(command[(dot + 1)..], out var found) ? found : null;
        if (known is null || handler is null)
        {
            Refuse(connection, OmqErrors.UnknownCommand, command, tag: null);
            return;
        }

        var tag = handler.IsRequest && rest.Count > 0 ? rest[0] : null;
        var fromServiceNode = sender.Length == 32 && _options.IsActiveServiceNode(sender);
        var refusal =
            level < known.Access.Level ? OmqErrors.Forbidden
            : known.Access.LocalServiceNode && !_options.IsServiceNode ? OmqErrors.NotAServiceNode
            : known.Access.RemoteServiceNode && !fromServiceNode ? OmqErrors.ForbiddenServiceNode
            : handler.IsRequest && tag is null ? OmqErrors.NoReplyTag
            : null;
        if (refusal is not null)
        {
            Refuse(connection, refusal, command, tag);
            return;
        }

        if (Interlocked.Increment(ref known.Queued) > known.MaxQueued)
        {
            // As oxen-mq's full category queue: dropped without a word; a request's caller times out.
            Interlocked.Decrement(ref known.Queued);
            LogQueueFull(_logger, command);
            return;
        }

        var message = new OmqMessage(command, handler.IsRequest ? rest.GetRange(1, rest.Count - 1) : rest, sender, level, fromServiceNode, address, connection);
        _ = Task.Run(() => RunHandlerAsync(known, handler, message, tag));
    }

    private async Task RunHandlerAsync(Category category, Command command, OmqMessage message, byte[]? tag)
    {
        try
        {
            var reply = await command.Handler(message).ConfigureAwait(false);
            if (reply is not null && tag is not null)
            {
                var frames = new ReadOnlyMemory<byte>[reply.Count + 2];
                frames[0] = ReplyWord;
                frames[1] = tag;
                for (var i = 0; i < reply.Count; i++)
                {
                    frames[i + 2] = reply[i];
                }

                Enqueue(() => SendOn(message.Connection, frames));
            }
        }
        catch (Exception error)
        {
            // As oxen-mq: a handler that throws sends nothing; the caller times out.
            LogHandlerFailed(_logger, error, message.Command);
        }
        finally
        {
            Interlocked.Decrement(ref category.Queued);
        }
    }

    /// <summary><c>[CODE, "REPLY", tag]</c> for a tagged request, else <c>[CODE, command]</c>.</summary>
    private void Refuse(OmqConnection connection, string code, string command, byte[]? tag)
    {
        var codeBytes = Encoding.UTF8.GetBytes(code);
        SendOn(connection, tag is null ? [codeBytes, Encoding.UTF8.GetBytes(command)] : [codeBytes, ReplyWord, tag]);
    }

    /// <summary>
    /// ZAP (RFC 27) for our listeners: a CurveZMQ caller is named by its key in hex (User-Id) and given the level
    /// <see cref="OxenMqOptions.Allow"/> decides, carried as the "X-AuthLevel" property; a plain caller (NULL
    /// mechanism) likewise, without a key.
    /// </summary>
    private void AnswerZap(ReceivedMessage request)
    {
        var frames = request.Parts;
        string status = "500", statusText = "Invalid request", userId = "";
        byte[] metadata = [];
        if (frames.Count >= 6 && frames[0].AsSpan().SequenceEqual("1.0"u8))
        {
            var mechanism = Encoding.ASCII.GetString(frames[5]);
            var ip = Encoding.ASCII.GetString(frames[3]);
            if (ip.StartsWith("::ffff:", StringComparison.Ordinal))
            {
                ip = ip[7..];
            }

            byte[]? key = mechanism switch
            {
                "CURVE" when frames.Count == 7 && frames[6].Length == 32 => frames[6],
                "NULL" when frames.Count == 6 => [],
                _ => null,
            };
            if (key is not null)
            {
                var level = _options.Allow(ip, key, key.Length == 32 && _options.IsActiveServiceNode(key));
                if (level is AuthLevel.Denied)
                {
                    (status, statusText) = ("400", "Access denied");
                }
                else
                {
                    (status, statusText) = ("200", "");
                    userId = Convert.ToHexStringLower(key);
                    metadata = Property("X-AuthLevel", level.ToString().ToLowerInvariant());
                }
            }
        }

        var requestId = frames.Count > 1 ? frames[1] : [];
        _zap!.TrySend(["1.0"u8.ToArray(), requestId, Encoding.ASCII.GetBytes(status), Encoding.ASCII.GetBytes(statusText), Encoding.ASCII.GetBytes(userId), metadata]);
    }

    /// <summary>A ZMTP metadata property: name length (1 byte), name, value length (4 bytes big-endian), value.</summary>
    private static byte[] Property(string name, string value)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        var property = new byte[1 + nameBytes.Length + 4 + valueBytes.Length];
        property[0] = (byte)nameBytes.Length;
        nameBytes.CopyTo(property, 1);
        BinaryPrimitives.WriteInt32BigEndian(property.AsSpan(1 + nameBytes.Length), valueBytes.Length);
        valueBytes.CopyTo(property, 5 + nameBytes.Length);
        return property;
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "OxenMQ {Command} dropped: its category has too many messages in hand")]
    private static partial void LogQueueFull(ILogger logger, string command);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "OxenMQ handler for {Command} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception error, string command);
}
