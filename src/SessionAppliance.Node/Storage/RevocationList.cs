using LiteDB;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Storage;

/// <summary>Revoked subaccount tokens per owner; the newest 50 are kept (spec §3.4 revoke_subaccount).</summary>
internal sealed class RevocationList
{
    public const int MaxPerOwner = 50;

    private readonly ILiteCollection<BsonDocument> _revoked;

    public RevocationList(LiteDatabase database)
    {
        _revoked = database.GetCollection("revoked");
        _revoked.EnsureIndex("o");
    }

    /// <summary>Adds tokens revoked at <paramref name="nowMs"/>; a token revoked again keeps the later of its two times.</summary>
    public int Add(AccountId owner, IReadOnlyList<byte[]> tokens, long nowMs)
    {
        foreach (var token in tokens)
        {
            var id = IdOf(owner, token);
            var revokedAt = Math.Max(nowMs, _revoked.FindById(id)?["t"].AsInt64 ?? long.MinValue);
            _revoked.Upsert(new BsonDocument { ["_id"] = id, ["o"] = owner.Bytes.ToArray(), ["t"] = revokedAt, ["k"] = token });
        }

        var all = _revoked.Find(Query.EQ("o", owner.Bytes.ToArray())).OrderByDescending(d => d["t"].AsInt64).ToList();
        foreach (var stale in all.Skip(MaxPerOwner))
        {
            _revoked.Delete(stale["_id"]);
        }

        return tokens.Count;
    }

    public int Remove(AccountId owner, IReadOnlyList<byte[]> tokens) =>
        tokens.Count(token => _revoked.Delete(IdOf(owner, token)));

    public bool Contains(AccountId owner, ReadOnlySpan<byte> token) => _revoked.FindById(IdOf(owner, token)) is not null;

    public IReadOnlyList<byte[]> Of(AccountId owner) =>
        [.. _revoked.Find(Query.EQ("o", owner.Bytes.ToArray())).OrderBy(d => d["t"].AsInt64).Select(d => d["k"].AsBinary)];

    private static byte[] IdOf(AccountId owner, ReadOnlySpan<byte> token) => [.. owner.Bytes, .. token];
}
