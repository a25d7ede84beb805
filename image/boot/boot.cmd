# Session appliance: picks root slot A or B the way RAUC's U-Boot backend expects (BOOT_ORDER, BOOT_A_LEFT,
# BOOT_B_LEFT), counts the try down before booting, and boots the kernel and initrd inside that slot.
# The state lives in uboot.env on this FAT partition, where fw_setenv (libubootenv) writes it from Linux.
# A slot with no tries left is skipped; "rauc status mark-good" gives the booted slot its 3 tries back once the
# board has passed its health gate (session-appliance-update-gate). Compiled to boot.scr by scripts/build-image.

setenv BOOT_ORDER "A B"
setenv BOOT_A_LEFT 3
setenv BOOT_B_LEFT 0
setenv bootpart ${devtype} ${devnum}:1
if load ${bootpart} ${pxefile_addr_r} uboot.env; then
  env import -c ${pxefile_addr_r} 0x4000 BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
fi

setenv slot
for s in ${BOOT_ORDER}; do
  if test "x${slot}" = "x"; then
    if test "x${s}" = "xA" && test ${BOOT_A_LEFT} -gt 0; then
      setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
      setenv slot A
      setenv rootpart 2
    fi
    if test "x${s}" = "xB" && test ${BOOT_B_LEFT} -gt 0; then
      setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
      setenv slot B
      setenv rootpart 3
    fi
  fi
done

if test "x${slot}" = "x"; then
  # Every slot used its tries: give both their tries back rather than never boot again.
  echo "session-appliance: no root slot has boot tries left; resetting them and starting again"
  setenv BOOT_A_LEFT 3
  setenv BOOT_B_LEFT 3
  env export -c -s 0x4000 ${pxefile_addr_r} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
  fatwrite ${bootpart} ${pxefile_addr_r} uboot.env 0x4000
  reset
fi

echo "session-appliance: booting root slot ${slot} (tries left: A ${BOOT_A_LEFT}, B ${BOOT_B_LEFT})"
env export -c -s 0x4000 ${pxefile_addr_r} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
fatwrite ${bootpart} ${pxefile_addr_r} uboot.env 0x4000

setenv consoles "console=ttyS1,115200 console=tty0"
if test "x${board}" = "xqemu-arm"; then
  setenv consoles "console=ttyAMA0"
fi
setenv bootargs "root=PARTUUID=@DISK_UUID@-0${rootpart} ro rootwait rauc.slot=${slot} ${consoles} net.ifnames=0 panic=10 systemd.show_status=auto"

# Debian's arm64 vmlinuz is an uncompressed Image (33 MB), which fits below ramdisk_addr_r on QEMU and the Pis.
if load ${devtype} ${devnum}:${rootpart} ${kernel_addr_r} /boot/vmlinuz && load ${devtype} ${devnum}:${rootpart} ${ramdisk_addr_r} /boot/initrd.img; then
  booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdt_addr}
fi

# This slot cannot be loaded or booted: take its tries away and start again (the other slot is next).
echo "session-appliance: root slot ${slot} does not boot; trying the other"
if test "x${slot}" = "xA"; then setenv BOOT_A_LEFT 0; else setenv BOOT_B_LEFT 0; fi
env export -c -s 0x4000 ${pxefile_addr_r} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
fatwrite ${bootpart} ${pxefile_addr_r} uboot.env 0x4000
reset
