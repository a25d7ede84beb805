using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Monitor;

/// <summary>
/// One subscription dict read as the reference reads it: keys in bt order (P, S, T, d, n, p, s, t), a wrong size
/// refused with its own errcode, anything unreadable thrown as <see cref="MonitorArgumentException"/> with
/// oxenc's text.
/// </summary>
internal sealed class MonitorEntry
{
    private byte[]? _sessionEdKey;
    private byte[]? _accountBytes;

    public SubaccountToken? Subaccount { get; private set; }

    public byte[]? SubaccountSignature { get; private set; }

    public bool WantData { get; private set; }

    public List<short> Namespaces { get; } = [];

    public byte[] Signature { get; private set; } = [];

    public long TimestampSeconds { get; private set; }

    /// <summary>Set by <see cref="Resolve"/>: the account and the Ed25519 key that owns it.</summary>
    public AccountId? Account { get; private set; }

    public byte[] EdKey { get; private set; } = [];

    /// <summary>The entry, or null with the refusal in <paramref name="refusal"/>.</summary>
    public static MonitorEntry? Read(BtDict d, out BtDict? refusal)
    {
        var entry = new MonitorEntry();
        refusal = entry.ReadFields(d);
        return refusal is null ? entry : null;
    }

    private BtDict? ReadFields(BtDict d)
    {
        if (d["P"] is { } ed)
        {
            _sessionEdKey = BytesOf(ed);
            if (_sessionEdKey.Length != 32)
            {
                return MonitorRequest.Error(MonitorError.BadPubkey, "Provided P= Session Ed25519 pubkey must be 32 bytes");
            }
        }

        if (d["S"] is { } subSignature)
        {
            SubaccountSignature = BytesOf(subSignature);
            if (SubaccountSignature.Length != 64)
            {
                return MonitorRequest.Error(MonitorError.BadPubkey, "Provided S subaccount signature must be 64 bytes");
            }

            var token = BytesOf(Required(d, "T"));
            if (token.Length != SubaccountToken.Length)
            {
                return MonitorRequest.Error(MonitorError.BadPubkey, $"Provided T subaccount token must be {SubaccountToken.Length} bytes");
            }

            Subaccount = SubaccountToken.FromBytes(token);
        }

        if (d["d"] is { } wantData)
        {
            WantData = IntegerOf(wantData, 0, 1, "next bt dict value is not an integer") == 1;
        }

        if (ReadNamespaces(Required(d, "n")) is { } badNamespaces)
        {
            return badNamespaces;
        }

        if (d["p"] is { } account)
        {
            if (_sessionEdKey is not null)
            {
                throw new MonitorArgumentException("Cannot provide both p= and P= pubkey values");
            }

            _accountBytes = BytesOf(account);
            if (_accountBytes.Length != 33)
            {
                return MonitorRequest.Error(MonitorError.BadPubkey, "Provided p= pubkey must be 33 bytes");
            }
        }
        else if (_sessionEdKey is null)
        {
            throw new MonitorArgumentException("Either p= or P= must be given");
        }

        Signature = BytesOf(Required(d, "s"));
        if (Signature.Length != 64)
        {
            return MonitorRequest.Error(MonitorError.BadSignature, "Provided s= signature must be 64 bytes");
        }

        var timestamp = d["t"] ?? throw new MonitorArgumentException("required signature timestamp is missing");
        TimestampSeconds = (long)IntegerOf(timestamp, long.MinValue, long.MaxValue, "next bt dict value is not an integer");
        return null;
    }

    /// <summary>Derives the account: 05 + X25519(P) for a Session ID given by its Ed25519 key, else p itself.</summary>
    public BtDict? Resolve()
    {
        if (_sessionEdKey is null)
        {
            Account = AccountId.FromBytes(_accountBytes);
            EdKey = _accountBytes![1..];
            return null;
        }

        if (!Ed25519.TryToX25519PublicKey(_sessionEdKey, out var x25519))
        {
            return MonitorRequest.Error(MonitorError.BadPubkey, "Invalid P= ed25519 public key");
        }

        Account = AccountId.FromBytes([AccountId.SessionIdPrefix, .. x25519]);
        EdKey = _sessionEdKey;
        return null;
    }

    private BtDict? ReadNamespaces(BtValue value)
    {
        var list = value.AsList() ?? throw new MonitorArgumentException("next bt value is not a list");
        for (var i = 0; i < Math.Max(1, list.Count); i++)
        {
            var item = i < list.Count ? list[i] : null;
            var ns = (short)IntegerOf(item, short.MinValue, short.MaxValue, "next bt value is not an integer");
            if (Namespaces.Count > 0 && ns <= Namespaces[^1])
            {
                return MonitorRequest.Error(MonitorError.BadNamespace, "Invalid n= namespace list: namespaces must be ascending");
            }

            Namespaces.Add(ns);
        }

        return null;
    }

    private static BtValue Required(BtDict d, string key) => d[key] ?? throw new MonitorArgumentException($"Key {key} not found!");

    private static byte[] BytesOf(BtValue value) => value switch
    {
        BtString s => s.Value,
        BtInteger => throw new MonitorArgumentException("expected a string, but found i"),
        BtList => throw new MonitorArgumentException("expected a string, but found l"),
        _ => throw new MonitorArgumentException("expected a string, but found d"),
    };

    /// <summary>An integer in range, refused in oxenc's words (its unsigned message does print the sign twice).</summary>
    private static Int128 IntegerOf(BtValue? value, Int128 min, Int128 max, string notAnInteger)
    {
        if (value is not BtInteger integer)
        {
            throw new MonitorArgumentException(notAnInteger);
        }

        var v = integer.Value;
        return v > max ? throw new MonitorArgumentException($"Integer deserialization failed: found too-large value {v} > {max}")
            : v >= min ? v
            : min == 0 ? throw new MonitorArgumentException($"Integer deserialization failed: found negative value -{v} but type is unsigned")
            : throw new MonitorArgumentException($"Integer deserialization failed: found too-low value {v} < {min}");
    }
}
