using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Bencode;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>A push server's side of OxenMQ: its own CurveZMQ key, and every <c>notify.message</c> it is sent.</summary>
public sealed class PushListener : IDisposable
{
    private readonly BlockingCollection<BtDict> _pushes = [];

    public PushListener()
    {
        var pair = Sodium.PublicKeyBox.GenerateKeyPair();
        Omq = new OxenMq.OxenMq(new OxenMqOptions { CurvePublicKey = pair.PublicKey, CurveSecretKey = pair.PrivateKey }, NullLogger.Instance);
        Omq.AddCategory("notify", new Access(AuthLevel.None));
        Omq.AddCommand("notify", "message", m =>
        {
            _pushes.Add((BtDict)BtReader.Parse(m.Parts[0]));
            return Task.CompletedTask;
        });
        Omq.Start();
    }

    public OxenMq.OxenMq Omq { get; }

    public bool TryNext(TimeSpan wait, out BtDict push) => _pushes.TryTake(out push!, wait);

    public void Dispose() => Omq.Dispose();
}
