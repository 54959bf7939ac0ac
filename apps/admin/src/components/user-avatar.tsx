import { Avatar, type AvatarProps } from "@mantine/core";
import { safeImageUrl } from "../lib/safe-image-url.ts";

interface UserAvatarProps extends Omit<AvatarProps, "src" | "name" | "color"> {
  user: { username: string; image: string | null };
}

/** A user's image when it is an http(s) URL, else their initials: every avatar in the console goes through here. */
export function UserAvatar({ user, ...props }: UserAvatarProps) {
  return (
    <Avatar
      src={safeImageUrl(user.image)}
      name={user.username}
      color="initials"
      alt={user.username}
      data-testid="user-avatar"
      {...props}
    />
  );
}
