namespace SessionAppliance.OxenMq;

/// <summary>How an <see cref="OxenMq"/> instance presents itself and whom it lets in.</summary>
public sealed class OxenMqOptions
{
    /// <summary>The reference's limit for every message (spec §2).</summary>
    public const int ReferenceMaxMessageSize = 10 * 1024 * 1024;

    /// <summary>The X25519 key pair used as the CurveZMQ key on listeners and outgoing connections; null for plain only.</summary>
    public byte[]? CurvePublicKey { get; init; }

    public byte[]? CurveSecretKey { get; init; }

    /// <summary>This instance is a service node (categories with <see cref="Access.LocalServiceNode"/> need it).</summary>
    public bool IsServiceNode { get; init; }

    public int MaxMessageSize { get; init; } = ReferenceMaxMessageSize;

    /// <summary>Whether an X25519 key belongs to an active service node; asked for every message, as oxen-mq does.</summary>
    public Func<ReadOnlyMemory<byte>, bool> IsActiveServiceNode { get; init; } = _ => false;

    /// <summary>The level a new incoming connection gets from its IP address, CurveZMQ key (empty on plain listeners) and service-node status.</summary>
    public Func<string, ReadOnlyMemory<byte>, bool, AuthLevel> Allow { get; init; } = (_, _, _) => AuthLevel.None;

    /// <summary>Outgoing service-node connections idle this long are closed (oxen-mq keeps them 5 min after connect_sn).</summary>
    public TimeSpan IdleConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
