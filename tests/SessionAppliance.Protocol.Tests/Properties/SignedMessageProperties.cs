using System.Globalization;
using System.Text;
using CsCheck;
using SessionAppliance.Protocol.Auth;

namespace SessionAppliance.Protocol.Tests.Properties;

/// <summary>The signed strings (spec §3.3) are the plain concatenations the reference signs, for any values.</summary>
public class SignedMessageProperties
{
    private static string D(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static readonly Gen<string[]> Hashes = Gen.String[Gen.Char.AlphaNumeric, 1, 43].Array[1, 8];

    [Fact]
    public void Store_and_retrieve_sign_method_namespace_and_timestamp() =>
        Gen.Select(Gen.Short, Gen.Long[0, long.MaxValue]).Sample((ns, timestamp) =>
            Assert.True(SignedMessages.Store(ns, timestamp).SequenceEqual(Encoding.UTF8.GetBytes("store" + (ns == 0 ? "" : D(ns)) + D(timestamp)))
            && SignedMessages.Retrieve(ns, timestamp).SequenceEqual(Encoding.UTF8.GetBytes("retrieve" + (ns == 0 ? "" : D(ns)) + D(timestamp)))));

    [Fact]
    public void Delete_and_get_expiries_sign_every_hash_in_request_order() =>
        Gen.Select(Hashes, Gen.Long[0, long.MaxValue]).Sample((hashes, timestamp) =>
            Assert.True(SignedMessages.Delete(hashes).SequenceEqual(Encoding.UTF8.GetBytes("delete" + string.Concat(hashes)))
            && SignedMessages.GetExpiries(timestamp, hashes).SequenceEqual(Encoding.UTF8.GetBytes("get_expiries" + D(timestamp) + string.Concat(hashes)))));

    [Fact]
    public void Expire_signs_the_mode_every_expiry_and_every_hash() =>
        Gen.Select(Hashes, Gen.Long[0, long.MaxValue].Array[1, 8], Gen.OneOf(Gen.Const(""), Gen.Const("shorten"), Gen.Const("extend"))).Sample((hashes, expiries, mode) =>
            Assert.True(SignedMessages.Expire(mode, expiries, hashes).SequenceEqual(
                Encoding.UTF8.GetBytes("expire" + mode + string.Concat(expiries.Select(D)) + string.Concat(hashes)))));

    [Fact]
    public void Namespace_all_signs_as_all() =>
        Gen.Long[0, long.MaxValue].Sample(timestamp =>
            Assert.True(SignedMessages.DeleteAll(null, timestamp).SequenceEqual(Encoding.UTF8.GetBytes("delete_allall" + D(timestamp)))));
}
